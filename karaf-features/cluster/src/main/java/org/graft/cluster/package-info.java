/** Rolling dynamic updates across the nodes of a Karaf Cellar group. */
@Export
@Version("1.0.0")
package org.graft.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
