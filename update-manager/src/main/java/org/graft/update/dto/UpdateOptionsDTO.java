package org.graft.update.dto;

import org.osgi.dto.DTO;

/** How an update runs. */
public class UpdateOptionsDTO extends DTO {
    /** Hold new calls and wait until none runs on the old version, then carry its state over. */
    public static final String DRAIN = "drain";
    /** For stateless services: new calls go to the new version at once, old calls finish on the old one. */
    public static final String COEXIST = "coexist";

    /** {@link #channel}: a {@code dsu:*} shell command. @since 1.2 */
    public static final String CHANNEL_SHELL = "shell";
    /** {@link #channel}: a jar dropped into Graft's watch folder. @since 1.2 */
    public static final String CHANNEL_WATCH_FOLDER = "watch-folder";
    /** {@link #channel}: a newer version started beside the serving one (Karaf's {@code deploy/}, say). @since 1.2 */
    public static final String CHANNEL_DEPLOY = "deploy";
    /** {@link #channel}: an operation of Graft's MBean, over JMX. @since 1.3 */
    public static final String CHANNEL_JMX = "jmx";
    /** {@link #channel}: a client of the {@code UpdateManager} service. @since 1.2 */
    public static final String CHANNEL_API = "api";

    /** {@link #DRAIN} (default) or {@link #COEXIST}. */
    public String strategy = DRAIN;
    /** How long to wait for calls to drain before the update aborts. */
    public long quiescenceTimeoutMillis = 5_000L;
    /** How long the state transfer (transformers included) may take before the update aborts. */
    public long transferTimeoutMillis = 10_000L;
    /** How long to wait for the new version's services to register once it started. */
    public long serviceTimeoutMillis = 10_000L;
    /**
     * Whether to rehearse the state transfer before calls are held (the {@code rehearse} step): on by
     * default. Off, a transformer that throws is found only once calls are held, and the transfer runs cold.
     *
     * @since 1.4
     */
    public boolean rehearse = true;
    /**
     * The longest calls may be held, in ms: an update whose rehearsal estimates the state transfer to hold
     * them longer is refused before any call is held, and one still holding them when this much time has
     * passed (a drain or a transformer slower than its rehearsal) is aborted and its calls released to
     * the old version. 0 (the default): no bound but the drain and transfer timeouts.
     *
     * @since 1.4
     */
    public long holdLimitMillis;
    /**
     * Whether to update a bundle that also has services Graft left unmanaged (registered under a class,
     * a per-bundle factory, ...): their consumers see them withdrawn and registered again by the next
     * version, as {@code bundle:update} would do to every service, while the managed ones switch
     * seamlessly. Off by default: such an update is refused, naming them.
     *
     * @since 1.1
     */
    public boolean withdrawUnmanaged;
    /**
     * Through which channel the update was asked ({@link #CHANNEL_SHELL}, ...): recorded in its report,
     * its log lines and its events. Null counts as {@link #CHANNEL_API}.
     *
     * @since 1.2
     */
    public String channel;
    /**
     * The version the bundle must run when the update or rollback starts: the one its requester saw. An
     * update that another one changed meanwhile (a rollback typed while an update ran, say) is refused,
     * nothing changed, rather than applied to a state nobody looked at. Null: whatever runs then.
     * Applies to the bundles a request names, not to a feature's.
     *
     * @since 1.6
     */
    public String expectedVersion;
    /** Who asked, where the channel knows (the shell session's or the JMX connection's user); null if not known. @since 1.2 */
    public String user;
}
