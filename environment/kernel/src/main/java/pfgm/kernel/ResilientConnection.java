package pfgm.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.Loop;
import io.github.spencerpark.jupyter.channels.ShellChannel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.lang.reflect.Field;
import java.security.GeneralSecurityException;
import java.util.logging.Logger;

/**
 * The base library's connection, except that a message the shell or control channel cannot take
 * (a wrong HMAC signature, malformed JSON) is dropped instead of ending the channel.
 *
 * <p>jupyter-jvm-basekernel 2.3.0 checks every message's signature against the session key, but
 * a mismatch throws out of the channel's polling loop, and a loop without an error handler dies:
 * one forged message would leave a kernel whose heartbeat answers and whose shell never does.
 */
final class ResilientConnection extends JupyterConnection {
    private static final Logger LOG = Logger.getLogger(ResilientConnection.class.getName());

    ResilientConnection(KernelConnectionProperties properties) throws GeneralSecurityException {
        super(properties);
    }

    @Override
    public void connect() {
        super.connect();
        dropFailedMessages(shell);
        dropFailedMessages(control);
    }

    private static void dropFailedMessages(ShellChannel channel) {
        loopOf(channel).onError(error -> {
            LOG.warning("dropped a message: " + error);
            return 0; // poll again at once
        });
    }

    /** The loop is private to ShellChannel with no accessor in this (pinned) version of the library. */
    private static Loop loopOf(ShellChannel channel) {
        try {
            Field loop = ShellChannel.class.getDeclaredField("ioloop");
            loop.setAccessible(true);
            return (Loop) loop.get(channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jupyter-jvm-basekernel changed: no shell loop to guard", e);
        }
    }
}
