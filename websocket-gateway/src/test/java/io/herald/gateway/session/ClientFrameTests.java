package io.herald.gateway.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How client frames (API.md section 3) are read, and what is refused. */
class ClientFrameTests {

	@Test
	void readsResume() {
		assertThat(ClientFrame.parse("{\"type\":\"resume\",\"since\":120}")).isEqualTo(new ClientFrame.Resume(120));
		assertThat(ClientFrame.parse("{\"type\":\"resume\",\"since\":0}")).isEqualTo(new ClientFrame.Resume(0));
	}

	@Test
	void readsAck() {
		assertThat(ClientFrame.parse("{\"type\":\"ack\",\"upTo\":124}")).isEqualTo(new ClientFrame.Ack(124));
	}

	@Test
	void readsRead() {
		assertThat(ClientFrame.parse("{\"type\":\"read\",\"upTo\":124}")).isEqualTo(new ClientFrame.Read(124));
	}

	@Test
	void readsPing() {
		assertThat(ClientFrame.parse("{\"type\":\"ping\"}")).isEqualTo(new ClientFrame.Ping());
	}

	@Test
	void ignoresUnknownFieldsAndFieldOrder() {
		assertThat(ClientFrame.parse("{\"upTo\":7,\"client\":\"ios\",\"type\":\"ack\"}"))
			.isEqualTo(new ClientFrame.Ack(7));
		assertThat(ClientFrame.parse(" {\"type\":\"ping\",\"at\":1} ")).isEqualTo(new ClientFrame.Ping());
	}

	@Test
	void acceptsTheLargestSeq() {
		assertThat(ClientFrame.parse("{\"type\":\"ack\",\"upTo\":" + Long.MAX_VALUE + "}"))
			.isEqualTo(new ClientFrame.Ack(Long.MAX_VALUE));
	}

	@Test
	void namesEachFrameTypeForMetrics() {
		assertThat(ClientFrame.parse("{\"type\":\"resume\",\"since\":1}").type()).isEqualTo("resume");
		assertThat(ClientFrame.parse("{\"type\":\"ack\",\"upTo\":1}").type()).isEqualTo("ack");
		assertThat(ClientFrame.parse("{\"type\":\"read\",\"upTo\":1}").type()).isEqualTo("read");
		assertThat(ClientFrame.parse("{\"type\":\"ping\"}").type()).isEqualTo("ping");
		assertThat(ClientFrame.parse("nope").type()).isEqualTo("invalid");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "not json", "{", "{\"type\":\"ping\"", "{\"type\":\"ping\"} trailing",
			"{\"type\":\"ping\"}{\"type\":\"ping\"}", "{'type':'ping'}" })
	void refusesTextThatIsNotJson(String text) {
		assertInvalid(text);
	}

	@ParameterizedTest
	@ValueSource(strings = { "[1]", "[{\"type\":\"ping\"}]", "\"ping\"", "42", "null", "true" })
	void refusesJsonThatIsNotAnObject(String text) {
		assertInvalid(text, "a frame is a JSON object");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"type\":null}", "{\"type\":1}", "{\"type\":[\"ping\"]}", "{\"type\":{}}",
			"{\"Type\":\"ping\"}" })
	void refusesAFrameWithoutAStringType(String text) {
		assertInvalid(text, "a frame needs a string 'type'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"type\":\"launch-missiles\"}", "{\"type\":\"\"}", "{\"type\":\"PING\"}",
			"{\"type\":\"hello\"}", "{\"type\":\"notification\",\"seq\":1}" })
	void refusesAnUnknownType(String text) {
		assertInvalid(text, "unknown frame type; expected resume, ack, read or ping");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"type\":\"resume\"}", "{\"type\":\"resume\",\"since\":null}",
			"{\"type\":\"resume\",\"since\":-1}", "{\"type\":\"resume\",\"since\":1.5}",
			"{\"type\":\"resume\",\"since\":1.0}", "{\"type\":\"resume\",\"since\":1e3}",
			"{\"type\":\"resume\",\"since\":\"12\"}", "{\"type\":\"resume\",\"since\":true}",
			"{\"type\":\"resume\",\"since\":[1]}", "{\"type\":\"resume\",\"since\":9223372036854775808}",
			"{\"type\":\"resume\",\"since\":123456789012345678901234567890}" })
	void refusesAResumeWithoutASeq(String text) {
		assertInvalid(text, "'since' must be a seq: an integer of at least 0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"type\":\"ack\"}", "{\"type\":\"ack\",\"upTo\":-5}", "{\"type\":\"ack\",\"upTo\":2.5}",
			"{\"type\":\"ack\",\"upTo\":\"3\"}", "{\"type\":\"ack\",\"since\":3}",
			"{\"type\":\"ack\",\"upTo\":99999999999999999999}" })
	void refusesAnAckWithoutASeq(String text) {
		assertInvalid(text, "'upTo' must be a seq: an integer of at least 0");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "{\"type\":\"read\"}", "{\"type\":\"read\",\"upTo\":-1}", "{\"type\":\"read\",\"upTo\":0.1}",
					"{\"type\":\"read\",\"upTo\":{}}", "{\"type\":\"read\",\"upTo\":-9223372036854775809}" })
	void refusesAReadWithoutASeq(String text) {
		assertInvalid(text, "'upTo' must be a seq: an integer of at least 0");
	}

	@Test
	void refusesDeeplyNestedJsonWithoutFailing() {
		assertInvalid("{\"type\":\"ping\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
	}

	private static void assertInvalid(String text) {
		assertThat(ClientFrame.parse(text)).isInstanceOf(ClientFrame.Invalid.class);
	}

	private static void assertInvalid(String text, String message) {
		assertThat(ClientFrame.parse(text)).isEqualTo(new ClientFrame.Invalid(message));
	}

}
