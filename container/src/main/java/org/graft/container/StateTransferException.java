package org.graft.container;

/** A state transfer failed; the message names the entry (or the transformer) and the cause. */
public class StateTransferException extends Exception {
    private static final long serialVersionUID = 1L;

    public StateTransferException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateTransferException(String message) {
        super(message);
    }
}
