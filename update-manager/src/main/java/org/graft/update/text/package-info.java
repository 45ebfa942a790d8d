/**
 * Text for people, shared by the clients of the update manager that face them (the {@code dsu:*}
 * commands and the MBean): reports, plans and steps as lines, and who asked. Not exported; like its
 * clients, it sees only the exported API.
 */
package org.graft.update.text;
