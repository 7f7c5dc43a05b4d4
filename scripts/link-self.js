// Kept for callers of the old name; the package is now installed as a copy.
require("./install-self.js");
