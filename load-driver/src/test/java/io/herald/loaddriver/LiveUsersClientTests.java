package io.herald.loaddriver;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live users' WebSocket client against a WebSocket server of the test's, which plays
 * the gateway's side of API.md section 3 as each test needs it (and, for a fan-out run,
 * an HTTP server of the test's plays ingestion's and routing's).
 */
class LiveUsersClientTests {

	private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	/** The request targets of the upgrades the server accepted, in order. */
	private final List<String> upgrades = new CopyOnWriteArrayList<>();

	/** The frames the server received, in order. */
	private final List<String> received = new CopyOnWriteArrayList<>();

	@AfterEach
	void stopServer() {
		this.loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
	}

	@Test
	void aUserReadsItsNotificationsAndAfterADropResumesFromTheHighestSeqItSaw() throws Exception {
		int port = serve((connection, upgrade) -> {
			if (this.upgrades.size() == 1) {
				connection.writeAndFlush(frame("{\"type\":\"hello\",\"lastSeq\":4,\"heartbeatSec\":25}"));
				connection.writeAndFlush(frame("{\"type\":\"notification\",\"seq\":5,\"data\":{\"k\":7}}"));
				// The network drops: no close frame.
				connection.eventLoop().schedule(() -> connection.close(), 200, TimeUnit.MILLISECONDS);
			}
			else {
				connection.writeAndFlush(frame("{\"type\":\"hello\",\"lastSeq\":5,\"heartbeatSec\":25}"));
				connection.writeAndFlush(frame("{\"type\":\"resumed\",\"lastSeq\":5}"));
			}
		});
		DeliveryLedger ledger = new DeliveryLedger();
		ledger.expect("bench-t1-0", 7, System.nanoTime(), true);
		try (LiveUsers users = new LiveUsers(live(port), ledger)) {
			assertThat(users.open(1)).isNotNull();
			await().atMost(Duration.ofSeconds(10)).until(() -> users.reconnects().attempts() == 1 && users.open() == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> users.resuming() == 0);
			assertThat(ledger.delivered()).isEqualTo(1);
			assertThat(ledger.outOfOrder()).isZero();
			assertThat(this.upgrades.get(0)).startsWith("/v1/ws?access_token=").doesNotContain("since=");
			assertThat(this.upgrades.get(1)).endsWith("&since=5");
			// The first ping after hello, as herald-client.js sends one.
			assertThat(this.received).contains(LiveUser.PING);
			assertThat(users.frames()).containsEntry("notification", 1L).containsEntry("resumed", 1L);
			assertThat(users.closes()).containsEntry("error", 1L);
		}
	}

	@Test
	void theGatewaysCloseCodesAreCountedAndAnswered() throws Exception {
		int port = serve((connection, upgrade) -> {
			connection.writeAndFlush(frame("{\"type\":\"hello\",\"lastSeq\":0,\"heartbeatSec\":25}"));
			if (this.upgrades.size() == 1) {
				connection.writeAndFlush(new CloseWebSocketFrame(1013, "slow"));
			}
		});
		try (LiveUsers users = new LiveUsers(live(port), new DeliveryLedger())) {
			assertThat(users.open(1)).isNotNull();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.upgrades.size() == 2 && users.open() == 1);
			assertThat(users.closes()).containsEntry("1013", 1L);
			assertThat(this.received).contains("close 1013");
		}
	}

	@Test
	void aRefusedTokenIsNotTriedAgain() throws Exception {
		int port = serve((connection, upgrade) -> {
		});
		refuseUpgrades(HttpResponseStatus.UNAUTHORIZED);
		try (LiveUsers users = new LiveUsers(live(port), new DeliveryLedger())) {
			assertThat(users.open(1)).isNull();
			assertThat(users.errors()).containsExactly("handshake refused with HTTP 401");
			assertThat(users.reconnects().attempts()).isZero();
		}
	}

	@Test
	void aFanOutRunPublishesNoFurtherRoundOnceItsStopAnswersAndCountsTheRoundsItPublished() throws Exception {
		AtomicInteger posted = new AtomicInteger();

		Report report = fanOut(posted, () -> posted.get() >= 2);

		assertThat(posted.get()).isEqualTo(2);
		assertThat(report.accounting()).isEqualTo(new Accounting(6, 6, 0, 0, 0, 0));
	}

	@Test
	void aFanOutRunStoppedWhileItsUsersConnectSubscribesNoOne() throws Exception {
		AtomicInteger posted = new AtomicInteger();

		Report report = fanOut(posted, () -> true);

		assertThat(this.subscriptions).hasValue(0);
		assertThat(posted.get()).isZero();
		assertThat(report.accounting()).isEqualTo(new Accounting(0, 0, 0, 0, 0, 0));
	}

	/** Subscriptions the test's routing took. */
	private final AtomicInteger subscriptions = new AtomicInteger();

	/**
	 * A fan-out run of up to 5 rounds to 3 users, against the test's gateway and an HTTP
	 * server of the test's that plays ingestion and routing: each accepted event, counted
	 * in {@code posted}, reaches every connected user.
	 */
	private Report fanOut(AtomicInteger posted, BooleanSupplier stop) throws Exception {
		List<Channel> connections = new CopyOnWriteArrayList<>();
		int gateway = serve((connection, upgrade) -> {
			connection.writeAndFlush(frame("{\"type\":\"hello\",\"lastSeq\":0,\"heartbeatSec\":25}"));
			connections.add(connection);
		});
		HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		api.createContext("/", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			int status = 404;
			if (exchange.getRequestMethod().equals("PUT")) {
				this.subscriptions.incrementAndGet();
				status = 200;
			}
			else if (exchange.getRequestMethod().equals("POST")) {
				int seq = posted.incrementAndGet();
				Matcher key = Pattern.compile("\"k\":(\\d+)").matcher(body);
				key.find();
				connections.forEach((connection) -> connection.writeAndFlush(frame(
						"{\"type\":\"notification\",\"seq\":" + seq + ",\"data\":{\"k\":" + key.group(1) + "}}")));
				status = 202;
			}
			exchange.sendResponseHeaders(status, -1);
			exchange.close();
		});
		api.start();
		try {
			String url = "http://127.0.0.1:" + api.getAddress().getPort();
			return Bench.runUntil(stop, "fanout", "--url", url, "--routing-url", url, "--api-key", "k", "--gateway-url",
					"http://127.0.0.1:" + gateway, "--run", "t2", "--users", "3", "--rounds", "5", "--duration", "10s");
		}
		finally {
			api.stop(0);
		}
	}

	private volatile HttpResponseStatus refusal;

	private void refuseUpgrades(HttpResponseStatus status) {
		this.refusal = status;
	}

	private static Options.Live live(int port) {
		return Options.parse("connect", "--gateway-url", "http://127.0.0.1:" + port, "--run", "t1").live();
	}

	private static TextWebSocketFrame frame(String text) {
		return new TextWebSocketFrame(text);
	}

	/**
	 * Starts the server on a free port; {@code opened} is called with each upgraded
	 * connection.
	 */
	private int serve(BiConsumer<Channel, HandshakeComplete> opened) throws InterruptedException {
		Channel server = new ServerBootstrap().group(this.loops)
			.channel(NioServerSocketChannel.class)
			.childHandler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(65_536), new Refusals(),
								new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
									.websocketPath(LiveUsersClientTests.PATH)
									.checkStartsWith(true)
									.handleCloseFrames(false)
									// A drop sends no close frame.
									.sendCloseFrame(null)
									.build()),
								new Frames(opened));
				}

			})
			.bind(new InetSocketAddress("127.0.0.1", 0))
			.sync()
			.channel();
		return ((InetSocketAddress) server.localAddress()).getPort();
	}

	private static final String PATH = "/v1/ws";

	/** Answers upgrades with {@link #refusal} while one is set. */
	private final class Refusals extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			HttpResponseStatus status = LiveUsersClientTests.this.refusal;
			if (status != null && message instanceof FullHttpRequest) {
				ReferenceCountUtil.release(message);
				context.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status))
					.addListener(ChannelFutureListener.CLOSE);
				return;
			}
			context.fireChannelRead(message);
		}

	}

	/** Records upgrades and frames, and answers a close. */
	private final class Frames extends ChannelInboundHandlerAdapter {

		private final BiConsumer<Channel, HandshakeComplete> opened;

		Frames(BiConsumer<Channel, HandshakeComplete> opened) {
			this.opened = opened;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext context, Object event) {
			if (event instanceof HandshakeComplete upgrade) {
				LiveUsersClientTests.this.upgrades.add(upgrade.requestUri());
				this.opened.accept(context.channel(), upgrade);
			}
		}

		@Override
		public void channelRead(ChannelHandlerContext context, Object message) {
			try {
				if (message instanceof TextWebSocketFrame text) {
					LiveUsersClientTests.this.received.add(text.text());
				}
				else if (message instanceof CloseWebSocketFrame close) {
					LiveUsersClientTests.this.received.add("close " + close.statusCode());
					context.close();
				}
			}
			finally {
				ReferenceCountUtil.release(message);
			}
		}

	}

}
