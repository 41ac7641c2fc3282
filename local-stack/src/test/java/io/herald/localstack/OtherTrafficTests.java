package io.herald.localstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The warm-up sees another tenant's load, and only a load, in ingestion's metrics. */
class OtherTrafficTests {

	private static final String TENANT = Warmup.TENANT;

	private HttpServer ingestion;

	private final AtomicLong demoAccepted = new AtomicLong();

	private final AtomicLong scrapes = new AtomicLong();

	private final AtomicReference<Integer> status = new AtomicReference<>(200);

	@BeforeEach
	void startIngestionsActuator() throws IOException {
		this.ingestion = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.ingestion.createContext("/actuator/prometheus", (exchange) -> {
			byte[] body = metrics(this.demoAccepted.get(), 5_000).getBytes(StandardCharsets.UTF_8);
			this.scrapes.incrementAndGet();
			exchange.sendResponseHeaders(this.status.get(), body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.ingestion.start();
	}

	@AfterEach
	void stop() {
		this.ingestion.stop(0);
	}

	@Test
	void everyTenantsAcceptedEventsButTheWarmUpsAreSummed() {
		String text = metrics(12, 500) + "herald_funnel_total{channel=\"all\",outcome=\"accepted\",priority=\"bulk\","
				+ "reason=\"none\",service=\"ingestion-service\",stage=\"accepted\",tenant=\"acme\"} 3.0 # {trace_id=\"a\"} 1.0\n";

		assertThat(OtherTraffic.acceptedByOthers(text, TENANT)).isEqualTo(15);
		assertThat(OtherTraffic.acceptedByOthers("", TENANT)).isZero();
		assertThat(OtherTraffic.acceptedByOthers("herald_funnel_total{stage=\"accepted\"} not-a-number\n", TENANT))
			.isZero();
	}

	@Test
	void aFewEventsAreNotALoadButAHundredMoreThanAtTheStartAre() {
		this.demoAccepted.set(40);
		try (OtherTraffic others = OtherTraffic.watch(url(), TENANT, Duration.ofMillis(20))) {
			awaitScrapes(3);
			this.demoAccepted.addAndGet(OtherTraffic.LOAD - 1);
			awaitScrapes(3);
			assertThat(others.arrived()).isFalse();

			this.demoAccepted.incrementAndGet();
			awaitArrived(others);
		}
	}

	@Test
	void anIngestionThatDoesNotAnswerYetSetsNoStartingPoint() {
		this.status.set(503);
		this.demoAccepted.set(0);
		try (OtherTraffic others = OtherTraffic.watch(url(), TENANT, Duration.ofMillis(20))) {
			awaitScrapes(2);
			this.demoAccepted.set(1_000);
			this.status.set(200);
			awaitScrapes(3);
			assertThat(others.arrived()).isFalse();

			this.demoAccepted.addAndGet(OtherTraffic.LOAD);
			awaitArrived(others);
		}
	}

	private void awaitScrapes(int more) {
		long until = this.scrapes.get() + more;
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.scrapes).hasValueGreaterThanOrEqualTo(until));
	}

	private static void awaitArrived(OtherTraffic others) {
		await().atMost(Duration.ofSeconds(30)).until(others::arrived);
	}

	private String url() {
		return "http://127.0.0.1:" + this.ingestion.getAddress().getPort();
	}

	private static String metrics(long demo, long warmup) {
		return "# HELP herald_funnel_total Notifications through each stage\n" + "# TYPE herald_funnel_total counter\n"
				+ line("accepted", "accepted", "demo", demo) + line("emitted", "received", "demo", demo * 2)
				+ line("accepted", "accepted", TENANT, warmup) + line("emitted", "received", TENANT, warmup);
	}

	private static String line(String stage, String outcome, String tenant, long count) {
		return "herald_funnel_total{channel=\"all\",outcome=\"" + outcome + "\",priority=\"high\",reason=\"none\","
				+ "service=\"ingestion-service\",stage=\"" + stage + "\",tenant=\"" + tenant + "\"} " + count + ".0\n";
	}

}
