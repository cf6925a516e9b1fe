// Made by healthsite for this build of the site; the code is in the file it imports.
self.HEALTHSITE = {
 "bypass": [
  "/pagefind/",
  "/admin/"
 ],
 "offline": {
  "": "/offline/",
  "es": "/es/offline/"
 },
 "precache": [
  "/routine/",
  "/offline/",
  "/es/routine/",
  "/es/offline/",
  "/static/css/site.ed5cbe63e5.css",
  "/static/css/print.b66b09f67f.css",
  "/static/js/site.3b68e123a1.js",
  "/static/js/routine.213905c7e6.js",
  "/static/img/favicon.d9f42e01af.svg"
 ],
 "scope": "/",
 "static": "/static/",
 "version": "(a digest)"
};
importScripts("/static/js/service-worker.4f08bc9bd8.js");
