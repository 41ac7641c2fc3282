package io.herald.loaddriver;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMemoryTests {

	@Test
	void sumsHeapPoolsAndEveryPool() {
		String scrape = """
				# HELP jvm_memory_used_bytes The amount of used memory
				# TYPE jvm_memory_used_bytes gauge
				jvm_memory_used_bytes{area="heap",id="G1 Eden Space",service="websocket-gateway"} 4.194304E7
				jvm_memory_used_bytes{area="heap",id="G1 Old Gen",service="websocket-gateway"} 2.097152E7
				jvm_memory_used_bytes{area="nonheap",id="Metaspace",service="websocket-gateway"} 1.048576E7
				jvm_memory_used_bytes_other{area="heap"} 5
				jvm_buffer_memory_used_bytes{id="direct",service="websocket-gateway"} 1024.0
				jvm_buffer_memory_used_bytes{id="mapped",service="websocket-gateway"} 2048.0
				herald_gateway_connections{service="websocket-gateway",transport="sse"} 3.0
				herald_gateway_connections{service="websocket-gateway",transport="websocket"} 5000.0
				process_files_open_files{service="websocket-gateway"} 5042.0
				jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause"} 81
				jvm_gc_pause_seconds_count{action="end of minor GC",cause="Metadata GC Threshold"} 1
				jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause"} 3.885
				""";
		assertThat(GatewayMemory.parse(scrape))
			.isEqualTo(new GatewayMemory.Sample(62_914_560, 73_400_320, 1_024, -1, 5_000, 5_042, 82));
	}

	@Test
	void readsResidentMemoryWhenExported() {
		assertThat(GatewayMemory.parse("process_resident_memory_bytes 3.0E8\n").residentBytes()).isEqualTo(300_000_000);
	}

	@Test
	void smallestOfEachReadingCounts() {
		var samples = List.of(new GatewayMemory.Sample(5, 9, 1, -1, 10, 50, 7),
				new GatewayMemory.Sample(3, 10, 2, -1, 10, 52, 8));
		assertThat(GatewayMemory.Sample.min(samples)).isEqualTo(new GatewayMemory.Sample(3, 9, 1, -1, 10, 50, 7));
		assertThat(GatewayMemory.Sample.collectionsDuring(samples)).isOne();
	}

}
