package io.herald.loaddriver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scenario run with a stop condition stops sending once it answers {@code true}, and
 * still waits for the answers to what it sent (the local stack's warm-up ends so when
 * another load arrives).
 */
class BenchStopTests {

	private HttpServer server;

	private final AtomicLong received = new AtomicLong();

	@BeforeEach
	void acceptEveryEvent() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/v1/events", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			this.received.incrementAndGet();
			exchange.sendResponseHeaders(202, -1);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void anIngestRunStopsSendingWhenAskedAndAccountsForWhatItSent() throws InterruptedException {
		// Asked once before each send: the 21st answer stops the run, however late the
		// sends are on a busy machine.
		AtomicInteger asked = new AtomicInteger();
		Report report = Bench.runUntil(() -> asked.incrementAndGet() > 20, "ingest", "--url", url(), "--api-key", "k",
				"--rate", "200", "--duration", "10m", "--warmup", "0s", "--connections", "1");

		assertThat(this.received.get()).isEqualTo(20);
		assertThat(report.table()).contains("202=20");
	}

	@Test
	void withoutAStopTheRunSendsItsWholeDuration() throws InterruptedException {
		Bench.runUntil(() -> false, "ingest", "--url", url(), "--api-key", "k", "--rate", "100", "--duration", "300ms",
				"--warmup", "0s", "--connections", "1");

		assertThat(this.received.get()).isEqualTo(30);
	}

	private String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

}
