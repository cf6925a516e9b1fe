"""Looking at a site without publishing it: the manager's report and the external link check."""
