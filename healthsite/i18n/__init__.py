"""Languages of the interface: gettext catalogs, the translation hook, the pseudo translator."""
