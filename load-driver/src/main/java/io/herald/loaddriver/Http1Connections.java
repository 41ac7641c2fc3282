package io.herald.loaddriver;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fixed set of persistent HTTP/1.1 connections, each served by one virtual thread that
 * sends a request and reads its response, then takes the next one from a shared queue. It
 * does just enough HTTP for a load test ({@code Content-Length} and chunked responses)
 * and costs a few microseconds per request, so the driver does not compete with the
 * platform for the CPU.
 *
 * <p>
 * Requests wait in the queue when every connection is busy; that wait counts as latency,
 * as a user's would. A full queue refuses a request ({@link #offer} returns
 * {@code false}).
 */
final class Http1Connections implements AutoCloseable {

	/** How long a connection waits for a response before it gives up and reconnects. */
	private static final int READ_TIMEOUT_MILLIS = 30_000;

	private final InetSocketAddress address;

	private final String host;

	private final BlockingQueue<Exchange> queue;

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean closed;

	Http1Connections(URI base, int connections, int queueCapacity) {
		int port = (base.getPort() > 0) ? base.getPort() : 80;
		this.address = new InetSocketAddress(base.getHost(), port);
		this.host = base.getHost() + ":" + port;
		this.queue = new ArrayBlockingQueue<>(queueCapacity);
		for (int i = 0; i < connections; i++) {
			this.workers.add(Thread.ofVirtual().name("http-connection-", i).start(this::serve));
		}
	}

	/**
	 * Queues a POST.
	 * @param onResponse gets the response; its status is {@code -1} when the connection
	 * failed
	 * @return {@code false} when the queue is full and the request was not queued
	 */
	boolean offer(String path, String apiKey, byte[] body, Consumer<Response> onResponse) {
		byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + this.host + "\r\nAuthorization: Bearer " + apiKey
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		return this.queue.offer(new Exchange(head, body, onResponse));
	}

	/** Whether every queued request was answered. */
	boolean isIdle() {
		return this.queue.isEmpty();
	}

	private void serve() {
		Socket socket = null;
		while (!this.closed) {
			Exchange exchange;
			try {
				exchange = this.queue.poll(100, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				return;
			}
			if (exchange == null) {
				continue;
			}
			Response response = Response.FAILED;
			try {
				if (socket == null) {
					socket = connect();
				}
				OutputStream out = socket.getOutputStream();
				out.write(exchange.head());
				out.write(exchange.body());
				out.flush();
				response = readResponse(socket.getInputStream());
				if (response.close()) {
					closeQuietly(socket);
					socket = null;
				}
			}
			catch (IOException ex) {
				closeQuietly(socket);
				socket = null;
			}
			exchange.onResponse().accept(response);
		}
		closeQuietly(socket);
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.setTcpNoDelay(true);
		socket.setSoTimeout(READ_TIMEOUT_MILLIS);
		socket.connect(this.address, 5_000);
		return new BufferedSocket(socket);
	}

	/** Reads one response with its body. */
	static Response readResponse(InputStream in) throws IOException {
		String statusLine = line(in);
		if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
			throw new IOException("not an HTTP/1.1 response: " + statusLine);
		}
		int status = Integer.parseInt(statusLine.substring(9, 12));
		long length = 0;
		boolean chunked = false;
		boolean close = false;
		for (String header = line(in); !header.isEmpty(); header = line(in)) {
			String lower = header.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				length = Long.parseLong(lower.substring(15).strip());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
			else if (lower.startsWith("connection:") && lower.contains("close")) {
				close = true;
			}
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(length, 1 << 20));
		if (chunked) {
			for (long size = Long.parseLong(line(in).strip(), 16); size > 0; size = Long.parseLong(line(in).strip(),
					16)) {
				copy(in, size, body);
				line(in);
			}
			for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
				// trailers are ignored
			}
		}
		else {
			copy(in, length, body);
		}
		return new Response(status, close, body.toString(StandardCharsets.UTF_8));
	}

	/**
	 * A response.
	 *
	 * @param status the HTTP status, {@code -1} when the connection failed
	 * @param close whether the server closes the connection after it
	 * @param body the body
	 */
	record Response(int status, boolean close, String body) {

		static final Response FAILED = new Response(-1, true, "");

	}

	private static String line(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder(64);
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw new IOException("connection closed");
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return line.toString();
	}

	private static void copy(InputStream in, long count, ByteArrayOutputStream out) throws IOException {
		byte[] buffer = new byte[8192];
		for (long left = count; left > 0;) {
			int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
			if (read < 0) {
				throw new IOException("connection closed");
			}
			out.write(buffer, 0, read);
			left -= read;
		}
	}

	private static void closeQuietly(Socket socket) {
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already broken
			}
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.workers.forEach(Thread::interrupt);
	}

	private record Exchange(byte[] head, byte[] body, Consumer<Response> onResponse) {
	}

	/**
	 * A socket with buffered streams, so that reading a response is not a system call per
	 * byte.
	 */
	private static final class BufferedSocket extends Socket {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		BufferedSocket(Socket socket) throws IOException {
			this.socket = socket;
			this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
			this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
		}

		@Override
		public InputStream getInputStream() {
			return this.in;
		}

		@Override
		public OutputStream getOutputStream() {
			return this.out;
		}

		@Override
		public synchronized void close() throws IOException {
			this.socket.close();
		}

	}

}
