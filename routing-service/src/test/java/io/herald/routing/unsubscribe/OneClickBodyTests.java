package io.herald.routing.unsubscribe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OneClickBodyTests {

	private static final String FORM = "application/x-www-form-urlencoded";

	@Test
	void theFormEncodedBodyOfRfc8058AsksForOneClick() {
		assertThat(OneClickBody.check(FORM, "List-Unsubscribe=One-Click")).isEqualTo(OneClickBody.Result.ONE_CLICK);
		assertThat(OneClickBody.check(FORM + "; charset=UTF-8", "List-Unsubscribe=One-Click\r\n"))
			.isEqualTo(OneClickBody.Result.ONE_CLICK);
		assertThat(OneClickBody.check(FORM, "a=b&List%2DUnsubscribe=One%2DClick"))
			.isEqualTo(OneClickBody.Result.ONE_CLICK);
		assertThat(OneClickBody.check(null, "List-Unsubscribe=One-Click")).as("no content type")
			.isEqualTo(OneClickBody.Result.ONE_CLICK);
	}

	@Test
	void aMultipartBodyAsksForOneClickToo() {
		String body = "--b0undary\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n"
				+ "--b0undary--\r\n";

		assertThat(OneClickBody.check("multipart/form-data; boundary=b0undary", body))
			.isEqualTo(OneClickBody.Result.ONE_CLICK);
		assertThat(OneClickBody.check("multipart/form-data; boundary=\"b0undary\"", body))
			.isEqualTo(OneClickBody.Result.ONE_CLICK);
		assertThat(OneClickBody.check("multipart/form-data; boundary=other", body))
			.isEqualTo(OneClickBody.Result.INVALID);
		assertThat(OneClickBody.check("multipart/form-data", body)).isEqualTo(OneClickBody.Result.INVALID);
	}

	@Test
	void anyOtherBodyOrTypeAsksForNothing() {
		for (String body : new String[] { "", "List-Unsubscribe=Yes", "List-Unsubscribe", "=One-Click",
				"List-Unsubscribe=One-Click%", "list-unsubscribe=one-click", "%%%" }) {
			assertThat(OneClickBody.check(FORM, body)).as(body).isEqualTo(OneClickBody.Result.INVALID);
		}
		assertThat(OneClickBody.check("application/json", "{\"List-Unsubscribe\": \"One-Click\"}"))
			.isEqualTo(OneClickBody.Result.INVALID);
		assertThat(OneClickBody.check("not a type", "List-Unsubscribe=One-Click"))
			.isEqualTo(OneClickBody.Result.INVALID);
	}

}
