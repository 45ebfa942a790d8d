/** Requests and records of rolling updates, as plain data. */
@Export
@Version("1.0.0")
package org.graft.cluster.dto;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
