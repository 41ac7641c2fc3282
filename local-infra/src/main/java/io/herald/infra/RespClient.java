package io.herald.infra;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A minimal RESP2 client over a plain socket, enough to check that a Redis server
 * answers. Not a general client: it reads one reply per command; an array reply of
 * scalars comes back as their text, one per line.
 */
final class RespClient implements AutoCloseable {

	private final Socket socket;

	private final InputStream in;

	private final OutputStream out;

	private RespClient(Socket socket) throws IOException {
		this.socket = socket;
		this.in = new BufferedInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	static RespClient connect(String host, int port, Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			int millis = Math.toIntExact(timeout.toMillis());
			socket.connect(new InetSocketAddress(host, port), millis);
			socket.setSoTimeout(millis);
			return new RespClient(socket);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	/**
	 * Sends one command and returns its reply: a simple string, bulk string or integer as
	 * text, {@code null} for a null bulk string, an array of those as their text joined
	 * by {@code \n}.
	 * @throws RedisErrorReply if the server answers with an error
	 */
	@Nullable String call(String... args) throws IOException {
		ByteArrayOutputStream request = new ByteArrayOutputStream();
		writeLine(request, "*" + args.length);
		for (String arg : args) {
			byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
			writeLine(request, "$" + bytes.length);
			request.write(bytes);
			writeLine(request, "");
		}
		this.out.write(request.toByteArray());
		this.out.flush();
		return readReply();
	}

	private @Nullable String readReply() throws IOException {
		String line = readLine();
		if (line.isEmpty()) {
			throw new IOException("Empty RESP reply");
		}
		String rest = line.substring(1);
		return switch (line.charAt(0)) {
			case '+', ':' -> rest;
			case '-' -> throw new RedisErrorReply(rest);
			case '$' -> readBulk(Integer.parseInt(rest));
			case '*' -> readArray(Integer.parseInt(rest));
			default -> throw new IOException("Unsupported RESP reply: " + line);
		};
	}

	private @Nullable String readArray(int length) throws IOException {
		if (length < 0) {
			return null;
		}
		StringBuilder elements = new StringBuilder();
		for (int i = 0; i < length; i++) {
			elements.append((i > 0) ? "\n" : "").append(readReply());
		}
		return elements.toString();
	}

	private @Nullable String readBulk(int length) throws IOException {
		if (length < 0) {
			return null;
		}
		byte[] bytes = this.in.readNBytes(length);
		if (bytes.length < length) {
			throw new EOFException("Connection closed in the middle of a reply");
		}
		readLine();
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private String readLine() throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int current = this.in.read();
			if (current == -1) {
				throw new EOFException("Connection closed before the end of a reply");
			}
			if (previous == '\r' && current == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
			}
			line.write(current);
			previous = current;
		}
	}

	private static void writeLine(ByteArrayOutputStream out, String line) {
		out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
		out.write('\r');
		out.write('\n');
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** An error reply such as {@code LOADING Redis is loading the dataset in memory}. */
	static final class RedisErrorReply extends IOException {

		RedisErrorReply(String message) {
			super(message);
		}

	}

}
