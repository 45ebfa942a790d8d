package org.graft.update.internal.transaction;

import org.osgi.framework.Bundle;

/**
 * What an extender reported about the bundles an update starts, kept while they start, so that a
 * bundle that does not register what was awaited can be told why. An interface of its own so that
 * {@link Activation} never loads the classes of an extender's optional package.
 */
interface ActivationWatch extends AutoCloseable {
    /** Watches nothing. */
    ActivationWatch NONE = new ActivationWatch() {
        @Override
        public String explain(Bundle bundle) {
            return null;
        }

        @Override
        public void close() {
        }
    };

    /** Why {@code bundle} does not serve, as its extender last reported it; {@code null} if it said nothing. */
    String explain(Bundle bundle);

    @Override
    void close();
}
