package dev.mercato.integrations;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Sockets that connect only where a {@link TargetGuard} allows. Whichever way a client asks for its socket (an
 * unconnected one it connects itself, as Jakarta Mail does, or one connected to a host) the address checked is the
 * address connected to.
 */
final class GuardedSocketFactory extends SocketFactory {

    private final TargetGuard guard;

    GuardedSocketFactory(TargetGuard guard) {
        this.guard = guard;
    }

    @Override
    public Socket createSocket() {
        return new GuardedSocket(guard);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }

    private static final class GuardedSocket extends Socket {

        private final TargetGuard guard;

        GuardedSocket(TargetGuard guard) {
            this.guard = guard;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress target)) {
                throw new IOException("Only internet addresses are supported, not " + endpoint);
            }
            InetSocketAddress checked = target;
            if (target.isUnresolved()) {
                checked = new InetSocketAddress(guard.resolve(target.getHostString())[0], target.getPort());
            } else {
                guard.check(target.getHostString(), target.getAddress());
            }
            super.connect(checked, timeout);
        }
    }
}
