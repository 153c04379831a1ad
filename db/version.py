"""The one version of TalentDesk: ``talentdesk --version``, the About dialog, the installed package
(pyproject reads it from here) and the bundle."""

VERSION = "0.1.0"
