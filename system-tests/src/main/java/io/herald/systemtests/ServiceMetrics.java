package io.herald.systemtests;

import io.herald.localstack.Service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A service's meters as its {@code /actuator/prometheus} shows them (API.md section 4).
 */
final class ServiceMetrics {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ServiceMetrics() {
	}

	/**
	 * The text of one scrape of the service's management port.
	 * @throws IOException if the service does not answer, or not with {@code 200}
	 */
	static String scrape(Service service) throws IOException, InterruptedException {
		HttpResponse<String> response = HTTP
			.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(service.name() + " answered its scrape with " + response.statusCode());
		}
		return response.body();
	}

	/**
	 * The sum of a meter's samples that carry every one of the labels, in a scrape's
	 * text.
	 * @param name the sample name, {@code herald_delivery_ledger_total} say
	 */
	static double sum(String scrape, String name, Map<String, String> labels) {
		double total = 0;
		for (String line : scrape.split("\n")) {
			if (!line.startsWith(name + "{")) {
				continue;
			}
			int end = line.lastIndexOf('}');
			String carried = line.substring(name.length() + 1, end);
			boolean matches = labels.entrySet()
				.stream()
				.allMatch((label) -> (',' + carried + ',')
					.contains(',' + label.getKey() + "=\"" + label.getValue() + "\","));
			if (matches) {
				total += Double.parseDouble(line.substring(end + 1).trim().split(" ")[0]);
			}
		}
		return total;
	}

}
