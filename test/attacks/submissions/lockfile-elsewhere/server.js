'use strict';
// A lockfile whose resolved URL points outside the registry: refused before any install or pod.
require('./kit').serve();
