/**
 * The update manager: plans, applies and rolls back dynamic updates of managed bundles, and keeps
 * their history. The shell, the watch folder and JMX all go through {@link org.graft.update.UpdateManager}.
 */
@Export
@Version("1.0.0")
package org.graft.update;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
