/* The editing page's setup of Decap CMS (loaded before decap-cms.js, which it configures).
 *
 * - Decap starts once its configuration arrives from /admin/config.json, which the server makes
 *   from the content models; its local backend is this server's /api/v1.
 * - The preview shows a page as the site's own templates render it (/admin/api/preview), in
 *   the site's own stylesheet, with the problems the build would report.
 * - "provenance" is the translation record: shown for a translation only.
 * - After each save the site rebuilds by itself; the status box says when it is done, links to
 *   the page, or shows what the build could not accept, with file, line and field.
 * Nothing here talks to any server but this one.
 */
(function () {
  "use strict";

  window.CMS_MANUAL_INIT = true;
  // "local": served by `build.py serve` with its local backend, preview and status; else the
  // editing page published with the site, editing through a Git host (export-editor).
  var local = document.currentScript.dataset.mode === "local";
  // The local backend needs no account (it runs on this computer): skip Decap's Login button.
  if (local && !window.localStorage.getItem("decap-cms-user")) {
    window.localStorage.setItem("decap-cms-user", JSON.stringify({ backendName: "proxy" }));
  }

  var defaultLocale = "en";
  var collections = {};

  function postJson(url, value) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(value),
    }).then(function (response) {
      return response.json();
    });
  }

  function plain(value) {
    return value && typeof value.toJS === "function" ? value.toJS() : value;
  }

  // -- the page preview, rendered by the site's templates -----------------------------------

  function pagePreview(collectionName) {
    return window.createClass({
      getInitialState: function () {
        return { html: "", problems: [], waiting: true };
      },
      componentDidMount: function () {
        this.refresh();
      },
      componentDidUpdate: function (before) {
        if (before.entry !== this.props.entry) {
          window.clearTimeout(this.timer);
          this.timer = window.setTimeout(this.refresh, 300);
        }
      },
      componentWillUnmount: function () {
        window.clearTimeout(this.timer);
        this.gone = true;
      },
      refresh: function () {
        var entry = this.props.entry;
        var self = this;
        postJson("/admin/api/preview", {
          collection: collectionName,
          slug: entry.get("slug") || "",
          data: plain(entry.get("data")) || {},
        }).then(function (result) {
          if (!self.gone) {
            self.setState({ html: result.html || "", problems: result.problems || [], waiting: false });
          }
        });
      },
      render: function () {
        var h = window.h;
        var problems = this.state.problems;
        var list = problems.length
          ? h(
              "div",
              { className: "hs-preview-problems", role: "note" },
              h("p", {}, h("strong", {}, "Before this page can be published:")),
              h(
                "ul",
                {},
                problems.map(function (problem, index) {
                  return h("li", { key: index }, problem);
                })
              )
            )
          : null;
        return h(
          "div",
          { className: "hs-preview" },
          list,
          h("main", { id: "main", dangerouslySetInnerHTML: { __html: this.state.html } })
        );
      },
    });
  }

  // -- the translation record ----------------------------------------------------------------

  function provenanceWidget() {
    var h = window.h;
    return window.createClass({
      getInitialState: function () {
        return { current: null };
      },
      componentDidMount: function () {
        if (local && !this.isMainLanguage()) {
          this.loadDigests();
        }
      },
      isMainLanguage: function () {
        return !this.props.locale || this.props.locale === defaultLocale;
      },
      sourcePath: function () {
        var slug = this.props.entry.get("slug");
        var folder = this.props.collection.get("folder");
        return slug ? folder + "/" + slug + ".md" : "";
      },
      loadDigests: function () {
        var path = this.sourcePath();
        var self = this;
        if (!path) {
          return;
        }
        fetch("/admin/api/digests?path=" + encodeURIComponent(path))
          .then(function (response) {
            return response.json();
          })
          .then(function (digests) {
            self.setState({ current: digests });
          });
      },
      value: function () {
        return plain(this.props.value) || {};
      },
      set: function (changes) {
        var next = Object.assign({}, this.value(), changes);
        if (!next.method) {
          next.method = "human";
        }
        this.props.onChange(next);
      },
      isValid: function () {
        if (this.isMainLanguage()) {
          return true;
        }
        var value = this.value();
        if (!value.translator) {
          return { error: { message: "Write who translated it (a name, or the service)." } };
        }
        return true;
      },
      matches: function () {
        var value = this.value();
        var current = this.state.current;
        return Boolean(
          current &&
            current.source_digest &&
            value.source_digest === current.source_digest &&
            (value.safety_digest || "") === (current.safety_digest || "")
        );
      },
      words: function (name) {
        var found = (this.props.field.get("fields") || []).find(function (field) {
          return field.get("name") === name;
        });
        return found ? { label: found.get("label"), hint: found.get("hint") } : { label: name, hint: "" };
      },
      row: function (name, control) {
        var words = this.words(name);
        var id = this.props.forID + "-" + name;
        return h(
          "div",
          { className: "hs-record-row", key: name },
          h("label", { htmlFor: id }, words.label),
          control(id),
          words.hint ? h("p", { className: "hs-record-hint", id: id + "-hint" }, words.hint) : null
        );
      },
      options: function (key) {
        return (plain(this.props.field.get(key)) || []).map(function (option) {
          return h("option", { key: option.value, value: option.value }, option.label);
        });
      },
      render: function () {
        var self = this;
        var value = this.value();
        if (this.isMainLanguage()) {
          return h(
            "p",
            { className: this.props.classNameWrapper, id: this.props.forID },
            "Only a translation has a record. Nothing to fill in here."
          );
        }
        var current = this.state.current;
        var stale = current && current.source_digest && value.source_digest && !this.matches();
        return h(
          "div",
          { className: this.props.classNameWrapper + " hs-record", id: this.props.forID },
          this.row("method", function (id) {
            return h(
              "select",
              {
                id: id,
                value: value.method || "human",
                onChange: function (event) {
                  self.set({ method: event.target.value });
                },
              },
              self.options("methods")
            );
          }),
          this.row("translator", function (id) {
            return h("input", {
              id: id,
              type: "text",
              value: value.translator || "",
              "aria-describedby": id + "-hint",
              onChange: function (event) {
                self.set({ translator: event.target.value });
              },
            });
          }),
          this.row("reviewed_by", function (id) {
            return h(
              "select",
              {
                id: id,
                value: value.reviewed_by || "",
                "aria-describedby": id + "-hint",
                onChange: function (event) {
                  self.set({ reviewed_by: event.target.value });
                },
              },
              [h("option", { key: "", value: "" }, "Nobody yet")].concat(self.options("people"))
            );
          }),
          this.row("source_digest", function (id) {
            return h(
              "span",
              {},
              h("input", {
                id: id,
                type: "checkbox",
                checked: self.matches(),
                disabled: !current || !current.source_digest,
                "aria-describedby": id + "-hint",
                onChange: function (event) {
                  var on = event.target.checked;
                  self.set({
                    source_digest: on ? current.source_digest : "",
                    safety_digest: on ? current.safety_digest || "" : "",
                  });
                },
              }),
              stale ? " The main-language page has changed since this translation was checked." : ""
            );
          })
        );
      },
    });
  }

  // -- the site's status after a save --------------------------------------------------------

  var statusBox = null;

  function showStatus(state, parts) {
    statusBox = statusBox || document.getElementById("hs-status");
    statusBox.hidden = false;
    statusBox.dataset.state = state;
    statusBox.setAttribute("role", state === "failed" ? "alert" : "status");
    statusBox.replaceChildren.apply(statusBox, parts);
  }

  function element(tag, text, attributes) {
    var node = document.createElement(tag);
    if (text) {
      node.textContent = text;
    }
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    return node;
  }

  function closeButton() {
    var button = element("button", "Close", { type: "button" });
    button.addEventListener("click", function () {
      statusBox.hidden = true;
    });
    return button;
  }

  function pageUrl(collectionName, slug) {
    var collection = collections[collectionName];
    if (!collection || !collection.preview_path || !slug) {
      return "";
    }
    return "/" + collection.preview_path.replace("{{slug}}", slug);
  }

  function reportBuild(status, saved) {
    // the main language's file of this save names the page (a new entry has no slug yet)
    var collection = collections[saved.collection] || {};
    var main = status.written.filter(function (path) {
      return path.indexOf(collection.folder + "/") === 0 && path.split(".").length === 2;
    })[0];
    var slug = saved.slug || (main ? main.slice(collection.folder.length + 1, -3) : "");
    var link = saved.draft ? "" : pageUrl(saved.collection, slug);
    var mine = function (problem) {
      return status.written.indexOf(problem.file) >= 0;
    };
    if (!status.ok) {
      var parts = [element("p", "Saved, but the site could not be rebuilt. Fix these problems and save again:")];
      status.errors.forEach(function (problem) {
        parts.push(element("pre", problem.text));
      });
      parts.push(element("p", "Until then the site keeps showing the last version that worked."));
      parts.push(closeButton());
      showStatus("failed", parts);
      return;
    }
    var done = element(
      "p",
      saved.draft
        ? "Saved as a draft: it stays off the site until a clinician has checked it and 'Draft' is switched off. "
        : "Saved. The site is up to date. "
    );
    if (link) {
      done.appendChild(element("a", "Open the page on the site", { href: link, target: "_blank", rel: "noopener" }));
    }
    var parts2 = [done];
    var warnings = status.warnings.filter(mine);
    if (warnings.length) {
      parts2.push(element("p", "To check before publishing:"));
      warnings.forEach(function (problem) {
        parts2.push(element("pre", problem.text));
      });
    }
    parts2.push(closeButton());
    showStatus("ok", parts2);
  }

  function waitForBuild(saved, tries) {
    fetch("/admin/api/status")
      .then(function (response) {
        return response.json();
      })
      .then(function (status) {
        if (status.current || tries > 100) {
          reportBuild(status, saved);
        } else {
          window.setTimeout(function () {
            waitForBuild(saved, tries + 1);
          }, 200);
        }
      });
  }

  function afterSave(event) {
    var entry = event.entry;
    var saved = {
      collection: entry.get("collection"),
      slug: entry.get("slug") || "",
      draft: Boolean(entry.getIn(["data", "draft"])),
    };
    showStatus("working", [element("p", "Saved. Updating the site…")]);
    waitForBuild(saved, 0);
  }

  // -- start ---------------------------------------------------------------------------------

  function start() {
    var CMS = window.CMS;
    fetch("config.json")
      .then(function (response) {
        return response.json();
      })
      .then(function (config) {
        if (local) {
          config.local_backend = { url: window.location.origin + "/api/v1" };
          config.site_url = window.location.origin;
          config.display_url = window.location.origin;
        }
        if (config.i18n) {
          defaultLocale = config.i18n.default_locale;
        }
        config.collections.forEach(function (collection) {
          collections[collection.name] = collection;
          if (local && collection.folder) {
            CMS.registerPreviewTemplate(collection.name, pagePreview(collection.name));
          }
        });
        var stylesheet = document.body.dataset.siteStylesheet;
        if (stylesheet) {
          CMS.registerPreviewStyle(stylesheet);
        }
        CMS.registerPreviewStyle("admin.css");
        CMS.registerWidget("provenance", provenanceWidget());
        if (local) {
          CMS.registerEventListener({ name: "postSave", handler: afterSave });
        }
        CMS.init({ config: config });
      });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
