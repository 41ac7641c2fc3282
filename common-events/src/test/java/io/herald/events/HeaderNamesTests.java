package io.herald.events;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class HeaderNamesTests {

	/** The type of a delivery request on a lane, beside which a retraction travels. */
	private static final String DELIVERY_TYPE = "io.herald.notification.deliver.v1";

	@Test
	void hasTypeReadsTheLastTypeHeader() {
		Headers headers = new RecordHeaders();
		assertThat(HeaderNames.hasType(headers, RetractNotification.CLOUD_EVENT_TYPE)).isFalse();

		headers.add(HeaderNames.CE_TYPE, utf8(RetractNotification.CLOUD_EVENT_TYPE));
		assertThat(HeaderNames.hasType(headers, RetractNotification.CLOUD_EVENT_TYPE)).isTrue();
		assertThat(RetractNotification.isRetraction(headers)).isTrue();

		headers.add(HeaderNames.CE_TYPE, utf8(DELIVERY_TYPE));
		assertThat(HeaderNames.hasType(headers, RetractNotification.CLOUD_EVENT_TYPE)).isFalse();
		assertThat(RetractNotification.isRetraction(headers)).isFalse();
		assertThat(HeaderNames.hasType(headers, DELIVERY_TYPE)).isTrue();
	}

	@Test
	void aTypeLongerShorterOrOneByteOffIsAnotherType() {
		String type = EventCancelled.CLOUD_EVENT_TYPE;
		assertThat(hasType(type + "x", type)).isFalse();
		assertThat(hasType(type.substring(0, type.length() - 1), type)).isFalse();
		assertThat(hasType(type.substring(0, type.length() - 1) + "9", type)).isFalse();
		assertThat(hasType("", type)).isFalse();
		assertThat(hasType(type, type)).isTrue();
		assertThat(EventCancelled.isCancellation(headers(type))).isTrue();
		assertThat(EventCancelled.isCancellation(headers(EventAccepted.CLOUD_EVENT_TYPE))).isFalse();
	}

	@Test
	void aTypeHeaderWithoutValueIsNoType() {
		Headers headers = new RecordHeaders();
		headers.add(HeaderNames.CE_TYPE, null);
		assertThat(HeaderNames.hasType(headers, "")).isFalse();
		assertThat(RetractNotification.isRetraction(headers)).isFalse();
	}

	@Test
	void aTypeBeyondAsciiIsComparedInUtf8() {
		String type = "io.herald.é.v1";
		assertThat(hasType(type, type)).isTrue();
		// The same chars in Latin-1 are as many bytes as chars, and not the type's UTF-8.
		Headers latin1 = new RecordHeaders();
		latin1.add(HeaderNames.CE_TYPE, type.getBytes(StandardCharsets.ISO_8859_1));
		assertThat(HeaderNames.hasType(latin1, type)).isFalse();
		assertThat(hasType("io.herald.e\u0301.v1", type)).isFalse();
	}

	@Test
	void tellingRetractionsFromDeliveriesAllocatesNothingPerRecord() {
		java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
		assumeTrue(bean instanceof com.sun.management.ThreadMXBean threads && threads.isThreadAllocatedMemorySupported()
				&& threads.isThreadAllocatedMemoryEnabled(), "the JVM measures no allocations per thread");
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
		Headers retraction = headers(RetractNotification.CLOUD_EVENT_TYPE);
		Headers delivery = headers(DELIVERY_TYPE);
		Headers cancellation = headers(EventCancelled.CLOUD_EVENT_TYPE);
		int records = 100_000;
		count(retraction, delivery, cancellation, records);

		long before = threads.getCurrentThreadAllocatedBytes();
		int found = count(retraction, delivery, cancellation, records);
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;

		assertThat(found).isEqualTo(2 * records);
		// A string per record would be several megabytes; the measurement itself costs a
		// few bytes.
		assertThat(allocated).as("bytes allocated for %d records", 3 * records).isLessThan(64 * 1024);
	}

	private static int count(Headers retraction, Headers delivery, Headers cancellation, int records) {
		int found = 0;
		for (int i = 0; i < records; i++) {
			found += RetractNotification.isRetraction(retraction) ? 1 : 0;
			found += RetractNotification.isRetraction(delivery) ? 1 : 0;
			found += EventCancelled.isCancellation(cancellation) ? 1 : 0;
		}
		return found;
	}

	private static boolean hasType(String header, String type) {
		return HeaderNames.hasType(headers(header), type);
	}

	private static Headers headers(String type) {
		Headers headers = new RecordHeaders();
		headers.add(HeaderNames.CE_TYPE, utf8(type));
		return headers;
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
