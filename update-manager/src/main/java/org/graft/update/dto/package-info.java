/** Requests, plans and reports of the update manager, as plain data: the shell, JMX and the journal share them. */
@Export
@Version("1.6.0")
package org.graft.update.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
