"""The Qt-free layers' message catalogue (GNU gettext): ``zh_CN.po``, compiled to ``zh_CN.mo``."""
