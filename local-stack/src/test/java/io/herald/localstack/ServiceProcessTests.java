package io.herald.localstack;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceProcessTests {

	@Test
	void aThreadDumpIsCutDownToTheThreadsInHeraldsCode() {
		List<String> dump = List.of("17", "2026-11-23T18:08:02Z", "", "#1 \"main\"",
				"      java.base/java.lang.Object.wait0(Native Method)", "", "#41 \"kafka-17\" virtual",
				"      java.base/java.util.concurrent.FutureTask.get(FutureTask.java:191)",
				"      io.herald.delivery.dispatch.Dispatcher.dispatch(Dispatcher.java:120)",
				"      io.herald.delivery.dispatch.LaneConsumers.onBatch(LaneConsumers.java:130)", "",
				"#52 \"herald-dispatch-3\"", "      java.base/jdk.internal.misc.Unsafe.park(Native Method)");

		assertThat(ServiceProcess.heraldFrames(dump)).containsExactly("#41 \"kafka-17\" virtual",
				"      io.herald.delivery.dispatch.Dispatcher.dispatch(Dispatcher.java:120)",
				"      io.herald.delivery.dispatch.LaneConsumers.onBatch(LaneConsumers.java:130)");
	}

	@Test
	void aLongThreadDumpIsCutShort() {
		List<String> dump = new ArrayList<>();
		for (int thread = 0; thread < 100; thread++) {
			dump.add("#" + thread + " \"herald-dispatch-" + thread + "\"");
			dump.add("      io.herald.delivery.dispatch.Dispatcher.traced(Dispatcher.java:150)");
		}

		assertThat(ServiceProcess.heraldFrames(dump)).hasSize(60).startsWith("#0 \"herald-dispatch-0\"");
	}

}
