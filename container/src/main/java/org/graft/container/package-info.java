/**
 * The container's interface to the update manager: the managed services, the staged services of a
 * version being installed, the switchover of a set of them, and state planning and transfer.
 */
@Export
@Version("1.6.0")
package org.graft.container;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
