package io.herald.gateway.system;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import java.lang.management.ManagementFactory;

/**
 * Lets the heap give back what a burst of connections made it grow: at start it sets the
 * JVM's {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio}, which can be changed while
 * the JVM runs, to {@link HeapProperties}. An idle connection then costs about its live
 * objects in resident memory rather than the heap that every connection's handshake once
 * needed (docs/adr/026). A value given to the JVM on its command line is kept, and on a
 * JVM without these options nothing happens.
 */
@Component
class HeapFootprint implements InitializingBean {

	static final String MIN_FREE = "MinHeapFreeRatio";

	static final String MAX_FREE = "MaxHeapFreeRatio";

	private static final Logger logger = LoggerFactory.getLogger(HeapFootprint.class);

	private final HeapProperties properties;

	HeapFootprint(HeapProperties properties) {
		this.properties = properties;
	}

	@Override
	public void afterPropertiesSet() {
		if (this.properties.minFreeRatio() > this.properties.maxFreeRatio()) {
			throw new IllegalStateException("herald.gateway.heap.min-free-ratio (" + this.properties.minFreeRatio()
					+ ") must not be above herald.gateway.heap.max-free-ratio (" + this.properties.maxFreeRatio()
					+ ")");
		}
		HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		if (jvm == null) {
			return;
		}
		try {
			// The JVM keeps min <= max at every step: lower the minimum before the
			// maximum.
			setIfDefault(jvm, MIN_FREE, this.properties.minFreeRatio());
			setIfDefault(jvm, MAX_FREE, this.properties.maxFreeRatio());
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Could not set the heap's free ratios: {}", ex.getMessage());
		}
	}

	/**
	 * Sets an option unless the JVM was given it (command line, environment or options
	 * file).
	 */
	private static void setIfDefault(HotSpotDiagnosticMXBean jvm, String option, int value) {
		VMOption current = jvm.getVMOption(option);
		boolean given = switch (current.getOrigin()) {
			case VM_CREATION, ENVIRON_VAR, CONFIG_FILE, OTHER -> true;
			case DEFAULT, ERGONOMIC, MANAGEMENT, ATTACH_ON_DEMAND -> false;
		};
		if (!given && current.isWriteable()) {
			jvm.setVMOption(option, Integer.toString(value));
		}
	}

}
