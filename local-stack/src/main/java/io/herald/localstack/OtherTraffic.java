package io.herald.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the warm-up when a load of another tenant's events has arrived: ingestion's
 * accepted events ({@code herald_funnel_total{stage="accepted"}} on its
 * {@code /actuator/prometheus}) of every tenant but one, read every second by a thread of
 * its own. A few events (a curl, the demo page) are not a load; {@value #LOAD} more than
 * when the watch began are.
 */
final class OtherTraffic implements AutoCloseable {

	/** Accepted events of other tenants that make a load. */
	static final long LOAD = 100;

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final String ACCEPTED = "herald_funnel_total{";

	private static final Logger log = LoggerFactory.getLogger(OtherTraffic.class);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(INTERVAL).build();

	private final HttpRequest request;

	private final String tenant;

	private final Duration interval;

	private final AtomicBoolean arrived = new AtomicBoolean();

	private final Thread poller;

	private OtherTraffic(String managementUrl, String tenant, Duration interval) {
		this.request = HttpRequest.newBuilder(URI.create(managementUrl + "/actuator/prometheus"))
			.timeout(interval.multipliedBy(5))
			.header("Accept", "text/plain")
			.GET()
			.build();
		this.tenant = tenant;
		this.interval = interval;
		this.poller = Thread.ofVirtual().name("warmup-other-traffic").start(this::poll);
	}

	/**
	 * Watches the ingestion whose actuator is at {@code managementUrl} for events of
	 * tenants other than {@code tenant}, from now on.
	 */
	static OtherTraffic watch(String managementUrl, String tenant) {
		return watch(managementUrl, tenant, INTERVAL);
	}

	static OtherTraffic watch(String managementUrl, String tenant, Duration interval) {
		return new OtherTraffic(managementUrl, tenant, interval);
	}

	/** Whether other tenants' events came in a load since the watch began. */
	boolean arrived() {
		return this.arrived.get();
	}

	private void poll() {
		long baseline = -1;
		try {
			while (!this.arrived.get()) {
				long accepted = read();
				if (accepted >= 0 && baseline < 0) {
					baseline = accepted;
				}
				else if (accepted >= 0 && accepted - baseline >= LOAD) {
					this.arrived.set(true);
					return;
				}
				Thread.sleep(this.interval);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Other tenants' accepted events now, or -1 if ingestion did not answer. */
	private long read() throws InterruptedException {
		try {
			HttpResponse<String> response = this.http.send(this.request, HttpResponse.BodyHandlers.ofString());
			return (response.statusCode() == 200) ? acceptedByOthers(response.body(), this.tenant) : -1;
		}
		catch (IOException ex) {
			log.debug("Ingestion's metrics did not answer: {}", ex.toString());
			return -1;
		}
	}

	/**
	 * The events ingestion accepted for every tenant but {@code tenant}, summed from its
	 * Prometheus text.
	 */
	static long acceptedByOthers(String prometheus, String tenant) {
		String own = "tenant=\"" + tenant + "\"";
		double accepted = 0;
		for (String line : prometheus.split("\n")) {
			if (line.startsWith(ACCEPTED) && line.contains("stage=\"accepted\"") && !line.contains(own)) {
				try {
					String value = line.substring(line.indexOf('}') + 1).trim().split(" ")[0];
					accepted += Double.parseDouble(value);
				}
				catch (NumberFormatException ex) {
					// Not a sample line; nothing to add.
				}
			}
		}
		return (long) accepted;
	}

	@Override
	public void close() {
		this.poller.interrupt();
		this.http.close();
	}

}
