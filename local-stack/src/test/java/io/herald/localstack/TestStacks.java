package io.herald.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.herald.infra.FreePorts;

/**
 * Settings of stacks for tests: Kafka, Redis and the chosen services, each on a free
 * port.
 */
final class TestStacks {

	private TestStacks() {
	}

	/**
	 * A stack of the demo tenant with the named services ({@code ingestion},
	 * {@code routing}, {@code gateway}, {@code delivery}) on free API and management
	 * ports, its data in {@code data}.
	 */
	static LocalStackSettings onFreePorts(Path data, String... services) {
		List<Integer> ports = FreePorts.find(2 + 2 * services.length);
		List<Service> chosen = new ArrayList<>();
		for (int i = 0; i < services.length; i++) {
			chosen.add(service(Service.ALL, services[i]).withPorts(ports.get(2 + 2 * i), ports.get(3 + 2 * i)));
		}
		return new LocalStackSettings(ports.get(0), ports.get(1), "demo", "demo-key",
				LocalStackSettings.DEFAULT_DEMO_JWT_SECRET, data, chosen, Duration.ofSeconds(180));
	}

	/** The service of a stack's settings with this name. */
	static Service service(LocalStackSettings settings, String name) {
		return service(settings.services(), name);
	}

	private static Service service(List<Service> services, String name) {
		return services.stream()
			.filter((service) -> service.name().equals(name))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("no service " + name));
	}

}
