package io.herald.delivery.dispatch;

import io.herald.delivery.receipt.ReceiptReason;
import io.herald.events.SuppressionReason;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which receipts suppress an address, and with which reason.
 */
class AddressSuppressionsTests {

	@Test
	void aReceiptSuppressesExactlyWhenItIsAPermanentAddressFailure() {
		assertThat(Arrays.stream(ReceiptReason.values()))
			.allSatisfy((reason) -> assertThat(AddressSuppressions.reason(reason) != null).as(reason.wireName())
				.isEqualTo(reason.permanentAddressFailure()));
	}

	@Test
	void aReceiptsReasonBecomesTheSuppressionsReason() {
		assertThat(AddressSuppressions.reason(ReceiptReason.BOUNCED)).isEqualTo(SuppressionReason.BAD_ADDRESS);
		assertThat(AddressSuppressions.reason(ReceiptReason.COMPLAINED)).isEqualTo(SuppressionReason.COMPLAINT);
		assertThat(AddressSuppressions.reason(ReceiptReason.UNKNOWN_DESTINATION))
			.isEqualTo(SuppressionReason.INVALID_NUMBER);
		assertThat(AddressSuppressions.reason(ReceiptReason.LANDLINE)).isEqualTo(SuppressionReason.INVALID_NUMBER);
		assertThat(AddressSuppressions.reason(ReceiptReason.INVALID_NUMBER))
			.isEqualTo(SuppressionReason.INVALID_NUMBER);
		assertThat(AddressSuppressions.reason(ReceiptReason.UNSUBSCRIBED)).isEqualTo(SuppressionReason.UNSUBSCRIBED);
		assertThat(AddressSuppressions.reason(ReceiptReason.UNREACHABLE)).isNull();
	}

}
