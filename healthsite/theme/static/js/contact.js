// The contact form, improved: without this script the form still posts straight to the
// clinic's endpoint. With it, problems are shown before anything is sent (an error summary
// that takes focus, and a message beside each field, as the GOV.UK and NHS patterns do),
// robots that fill the hidden field get a quiet "thank you" and nothing is sent, and the
// visitor sees clearly whether the message arrived.
//
// Every word the script shows comes from the page, in its language: contact.html puts the
// translated strings in the form's data-strings attribute (JSON); {phone} is filled in here.

const form = document.getElementById("contact-form");
const summary = document.getElementById("error-summary");
const result = document.getElementById("form-result");
const honeypot = form.querySelector(".hp input");
const T = JSON.parse(form.dataset.strings);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[+()\d][\d\s().+-]{5,}$/;

function value(name) {
  const field = form.elements[name];
  return (field && field.value ? field.value : "").trim();
}

// Each check: [error id, field to focus, message or "" when fine]
function problems() {
  const found = [];
  if (!value("name")) found.push(["cf-name-error", "cf-name", T.errors.name]);
  const phone = value("phone");
  const email = value("email");
  if (!phone && !email) {
    found.push(["cf-contact-error", "cf-phone", T.errors.contact]);
  } else if (phone && !PHONE.test(phone)) {
    found.push(["cf-contact-error", "cf-phone", T.errors.phone]);
  } else if (email && !EMAIL.test(email)) {
    found.push(["cf-contact-error", "cf-email", T.errors.email]);
  }
  if (!form.querySelector('input[name="reason"]:checked')) {
    found.push(["cf-reason-error", "cf-reason-new", T.errors.reason]);
  }
  if (value("message").length > 500) {
    found.push(["cf-message-error", "cf-message", T.errors.message]);
  }
  return found;
}

function clearErrors() {
  for (const box of form.querySelectorAll(".field-error")) {
    box.hidden = true;
    box.textContent = "";
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) {
    field.removeAttribute("aria-invalid");
    const ids = (field.getAttribute("aria-describedby") || "").split(" ");
    const kept = ids.filter((id) => id && !id.endsWith("-error")).join(" ");
    if (kept) field.setAttribute("aria-describedby", kept);
    else field.removeAttribute("aria-describedby");
  }
  summary.hidden = true;
}

function showErrors(found) {
  const list = summary.querySelector("ul");
  list.replaceChildren();
  for (const [errorId, fieldId, message] of found) {
    const box = document.getElementById(errorId);
    const prefix = document.createElement("span");
    prefix.className = "visually-hidden";
    prefix.textContent = `${T.errorPrefix} `;
    box.replaceChildren(prefix, message);
    box.hidden = false;
    const field = document.getElementById(fieldId);
    field.setAttribute("aria-invalid", "true");
    const ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    field.setAttribute("aria-describedby", [...new Set([...ids, errorId])].join(" "));
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#${fieldId}`;
    link.textContent = message;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      field.focus();
    });
    item.append(link);
    list.append(item);
  }
  summary.hidden = false;
  summary.focus();
}

function showResult(ok, text) {
  result.className = `form-result ${ok ? "form-result--ok" : "form-result--error"}`;
  const heading = document.createElement("h3");
  heading.textContent = ok ? T.sent : T.notSent;
  const body = document.createElement("p");
  body.textContent = text;
  result.replaceChildren(heading, body);
  result.hidden = false;
  result.focus();
}

function payload() {
  const data = new URLSearchParams();
  for (const [key, field] of new FormData(form)) {
    if (key !== honeypot.name) data.append(key, typeof field === "string" ? field.trim() : "");
  }
  return data;
}

form.noValidate = true; // our own messages replace the browser's bubbles
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors();
  result.hidden = true;
  const found = problems();
  if (found.length) {
    showErrors(found);
    return;
  }
  const thanks = T.thanks;
  if (honeypot.value) {
    form.hidden = true; // a robot: say thank you, send nothing
    showResult(true, thanks);
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: payload(),
      headers: { Accept: "application/json" },
      credentials: "omit",
      referrerPolicy: "no-referrer",
    });
    if (!response.ok) throw new Error(String(response.status));
    form.hidden = true;
    showResult(true, thanks);
  } catch {
    const phone = document.querySelector(".form-notice a[href^='tel:']");
    showResult(
      false,
      phone ? T.failed.replace("{phone}", () => phone.textContent) : T.failedNoPhone,
    );
  } finally {
    button.disabled = false;
  }
});
