/** Rolling updates across a Cellar group over JMX. */
@Export
@Version("1.0.0")
package org.graft.cluster.management;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
