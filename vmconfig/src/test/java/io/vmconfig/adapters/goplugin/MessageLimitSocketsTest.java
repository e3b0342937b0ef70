package io.vmconfig.adapters.goplugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The listening socket of {@link MessageLimitSockets} on loopback, written to as a client writes HTTP/2. */
class MessageLimitSocketsTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theReadThatBringsAnOverSizePrefixFailsThenTheRestPassesUnread() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        JsonLogger log =
                new JsonLogger(new PrintStream(logged, true, StandardCharsets.UTF_8), LogLevel.INFO, Clock.systemUTC());
        try (ServerSocket listening = new MessageLimitSockets(log, 100).createServerSocket()) {
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), listening.getLocalPort());
                    Socket accepted = listening.accept()) {
                OutputStream out = client.getOutputStream();
                InputStream in = accepted.getInputStream();
                assertThat(accepted.getInputStream()).isSameAs(in);
                // a message of exactly the limit on stream 1, read one byte at a time and skipped: all of it passes
                out.write(PREFACE);
                out.write(data(1, prefixed(100)));
                out.flush();
                int total = PREFACE.length + 9 + 105;
                int read = 0;
                while (read < total - 10) {
                    assertThat(in.read()).isNotNegative();
                    read++;
                }
                assertThat(in.skip(-1)).isZero();
                while (read < total) {
                    read += (int) in.skip(total - read);
                }
                // one byte over it on stream 3: refused at the read that brings its prefix
                out.write(data(3, java.util.Arrays.copyOf(prefixed(101), 5)));
                out.flush();
                byte[] buf = new byte[64];
                assertThatThrownBy(() -> {
                            int n = 0;
                            while (n < 14) {
                                n += in.read(buf, 0, buf.length);
                            }
                        })
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("101 bytes on stream 3")
                        .hasMessageContaining("limit of 100 bytes");
                assertThat(logged.toString(StandardCharsets.UTF_8))
                        .contains("\"@level\":\"error\"")
                        .contains("\"length\":\"101\"")
                        .contains("\"stream\":\"3\"");
                // what follows is passed on as it comes: the transport only drains the connection to its end
                out.write(data(5, java.util.Arrays.copyOf(prefixed(1_000_000), 5)));
                out.flush();
                assertThat(in.readNBytes(14)).hasSize(14);
            }
        }
    }

    private static byte[] prefixed(int length) {
        return GrpcLengthPrefixesTest.message(length);
    }

    private static byte[] data(int stream, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        GrpcLengthPrefixesTest.frame(f, 0x0, 0x0, stream, payload, -1);
        return f.toByteArray();
    }
}
