/**
 * The update manager: plans, applies and rolls back dynamic updates of managed bundles, and keeps
 * their history. The shell commands and the watch folder go through {@link org.graft.update.UpdateManager}
 * alike, so that every channel applies an update the same way.
 */
@Export
@Version("1.2.0")
package org.graft.update;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
