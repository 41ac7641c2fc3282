package io.herald.gateway.system;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class HeapFootprintTests {

	private final HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

	private final String min = this.jvm.getVMOption(HeapFootprint.MIN_FREE).getValue();

	private final String max = this.jvm.getVMOption(HeapFootprint.MAX_FREE).getValue();

	@AfterEach
	void restore() {
		this.jvm.setVMOption(HeapFootprint.MAX_FREE, "100");
		this.jvm.setVMOption(HeapFootprint.MIN_FREE, this.min);
		this.jvm.setVMOption(HeapFootprint.MAX_FREE, this.max);
	}

	@Test
	void theHeapKeepsAtMostTheConfiguredShareFreeOnceAConnectionStormIsOver() {
		new HeapFootprint(new HeapProperties(10, 30)).afterPropertiesSet();

		assertThat(this.jvm.getVMOption(HeapFootprint.MIN_FREE).getValue()).isEqualTo("10");
		assertThat(this.jvm.getVMOption(HeapFootprint.MAX_FREE).getValue()).isEqualTo("30");
	}

	@Test
	void aMinimumAboveTheMaximumStopsTheStartNamingBoth() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new HeapFootprint(new HeapProperties(50, 30)).afterPropertiesSet())
			.withMessageContaining("min-free-ratio (50)")
			.withMessageContaining("max-free-ratio (30)");
	}

}
