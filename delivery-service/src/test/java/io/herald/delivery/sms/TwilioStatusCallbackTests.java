package io.herald.delivery.sms;

import io.herald.delivery.receipt.ReceiptOutcome;
import io.herald.delivery.receipt.ReceiptReason;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TwilioStatusCallbackTests {

	private static final String SID = "SM" + "0123456789abcdef".repeat(2);

	private static final String ACCOUNT = "AC" + "0".repeat(32);

	@Test
	void deliveredDelivers() {
		TwilioStatusCallback callback = TwilioStatusCallback.parse(params("delivered", null));

		assertThat(callback.messageSid()).isEqualTo(SID);
		assertThat(callback.to()).isEqualTo("+4915112345678");
		assertThat(callback.outcome()).isInstanceOf(ReceiptOutcome.Delivered.class);
	}

	@Test
	void undeliveredAndFailedFailWithTheReasonOfTheirErrorCode() {
		assertThat(TwilioStatusCallback.parse(params("undelivered", "30005")).outcome())
			.isInstanceOfSatisfying(ReceiptOutcome.Failed.class, (failed) -> {
				assertThat(failed.reason()).isEqualTo(ReceiptReason.UNKNOWN_DESTINATION);
				assertThat(failed.permanentAddressFailure()).isTrue();
			});
		assertThat(TwilioStatusCallback.parse(params("failed", "30008")).outcome().reason())
			.isEqualTo(ReceiptReason.UNDELIVERED);
		assertThat(TwilioStatusCallback.parse(params("undelivered", null)).outcome().reason())
			.isEqualTo(ReceiptReason.UNDELIVERED);
	}

	@Test
	void errorCodesHaveTypedReasons() {
		assertThat(TwilioStatusCallback.reason(30003)).isEqualTo(ReceiptReason.UNREACHABLE);
		assertThat(TwilioStatusCallback.reason(30004)).isEqualTo(ReceiptReason.BLOCKED);
		assertThat(TwilioStatusCallback.reason(30006)).isEqualTo(ReceiptReason.LANDLINE);
		assertThat(TwilioStatusCallback.reason(30007)).isEqualTo(ReceiptReason.CARRIER_FILTERED);
		assertThat(TwilioStatusCallback.reason(21610)).isEqualTo(ReceiptReason.UNSUBSCRIBED);
		assertThat(TwilioStatusCallback.reason(21614)).isEqualTo(ReceiptReason.INVALID_NUMBER);
		assertThat(ReceiptReason.UNREACHABLE.permanentAddressFailure()).isFalse();
		assertThat(ReceiptReason.CARRIER_FILTERED.permanentAddressFailure()).isFalse();
		assertThat(ReceiptReason.LANDLINE.permanentAddressFailure()).isTrue();
		assertThat(ReceiptReason.UNSUBSCRIBED.permanentAddressFailure()).isTrue();
	}

	@Test
	void stepsOnTheWayChangeNothing() {
		for (String status : new String[] { "queued", "sending", "sent", "accepted", "read", "some_new_status" }) {
			assertThat(TwilioStatusCallback.parse(params(status, null)).outcome()).as(status)
				.isInstanceOf(ReceiptOutcome.InProgress.class);
		}
	}

	@Test
	void refusesParametersOutOfShape() {
		Map<String, String> noSid = params("delivered", null);
		noSid.remove("MessageSid");
		Map<String, String> badStatus = params("Delivered!", null);
		Map<String, String> badCode = params("failed", "30005; drop");
		Map<String, String> badAccount = params("delivered", null);
		badAccount.put("AccountSid", "ACnope");

		for (Map<String, String> params : java.util.List.of(noSid, badStatus, badCode, badAccount)) {
			assertThatIllegalArgumentException().isThrownBy(() -> TwilioStatusCallback.parse(params));
		}
	}

	@Test
	void readsTheOlderSmsStatusWhenMessageStatusIsMissing() {
		Map<String, String> params = params("delivered", null);
		params.remove("MessageStatus");
		params.put("SmsStatus", "delivered");

		assertThat(TwilioStatusCallback.parse(params).status()).isEqualTo("delivered");
	}

	private static Map<String, String> params(String status, String errorCode) {
		Map<String, String> params = new HashMap<>();
		params.put("MessageSid", SID);
		params.put("MessageStatus", status);
		params.put("AccountSid", ACCOUNT);
		params.put("To", "+4915112345678");
		if (errorCode != null) {
			params.put("ErrorCode", errorCode);
		}
		return params;
	}

}
