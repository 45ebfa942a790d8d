/**
 * Graft's management interface over JMX: the operations of the {@code dsu:*} commands, for JMX
 * clients (jconsole, Jolokia, hawtio, scripts) and guarded by Karaf's JMX ACLs where Karaf runs.
 */
@Export
@Version("1.0.0")
package org.graft.update.management;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
