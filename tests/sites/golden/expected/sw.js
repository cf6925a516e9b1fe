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
  "/static/css/site.12aaea127f.css",
  "/static/css/print.d5db3d1ef2.css",
  "/static/js/site.3b68e123a1.js",
  "/static/js/routine.213905c7e6.js",
  "/static/img/favicon.10b41db092.svg"
 ],
 "scope": "/",
 "static": "/static/",
 "version": "(a digest)"
};
importScripts("/static/js/service-worker.4f08bc9bd8.js");
