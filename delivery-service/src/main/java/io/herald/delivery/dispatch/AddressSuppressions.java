package io.herald.delivery.dispatch;

import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.Send;
import io.herald.delivery.receipt.PermanentAddressFailure;
import io.herald.delivery.receipt.PermanentFailureListener;
import io.herald.delivery.receipt.ReceiptReason;
import io.herald.delivery.retry.DeliveryDecisions;
import io.herald.events.ChannelMessage;
import io.herald.events.DeliverNotification;
import io.herald.events.SuppressionReason;
import io.herald.events.Topics;
import io.herald.events.UserCommand;
import io.herald.support.kafka.DurableWrites;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns a permanent failure of an email address or phone number into a
 * {@code suppress-address} command to routing, which then stops sending to that address
 * while the user's profile has it (docs/adr/033). Which failures do is decided by
 * {@link DeliveryDecisions#suppression}: a hard bounce ({@code bad_address}), a number
 * that is not one ({@code invalid_number}), an opt-out ({@code unsubscribed}). A dead
 * push token removes the device instead ({@code remove-device}).
 *
 * <p>
 * A provider's synchronous answer is handled by the dispatcher, whose batch writes the
 * command with its other outputs before it commits. A receipt (a delivery receipt, a
 * bounce or complaint report) has its command written with its status
 * ({@link #recordsFor}). Another answer that comes outside a batch goes through
 * {@link #suppress(Send, RejectionCause)} or {@link #suppress(Send, SuppressionReason)},
 * which write the command at once.
 *
 * <p>
 * A command is about the address the send went to, and routing applies it only while the
 * profile still has that address: a late answer about an address the user has changed
 * since, or about a user erased since, changes nothing.
 *
 * <p>
 * It is also the receipts' {@link PermanentFailureListener}: a hard bounce, a complaint,
 * an unknown, landline or invalid number and an opt-out reported after the send suppress
 * the address the receipt names, with a command the receipt's status write carries.
 */
@Component
public class AddressSuppressions implements PermanentFailureListener {

	private final KafkaTemplate<String, byte[]> kafka;

	private final DispatchProperties properties;

	private final DispatchMetrics metrics;

	private final Clock clock;

	AddressSuppressions(KafkaTemplate<String, byte[]> kafka, DispatchProperties properties, DispatchMetrics metrics,
			Clock clock) {
		this.kafka = kafka;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock;
	}

	/**
	 * The command a rejection of a send makes; empty when the rejection says nothing
	 * about the address, or the send has none (push).
	 * @param at when the provider answered
	 */
	public static Optional<UserCommand.SuppressAddress> command(Send send, RejectionCause cause, Instant at) {
		return DeliveryDecisions.suppression(send.channel(), cause)
			.flatMap((reason) -> Optional.ofNullable(commandOrNull(send, reason, at)));
	}

	/**
	 * The command for a permanent failure of a send's address learned another way (a
	 * complaint, a bounce report).
	 * @param at when it was learned
	 * @throws IllegalArgumentException for a send without an address (push)
	 */
	public static UserCommand.SuppressAddress command(Send send, SuppressionReason reason, Instant at) {
		UserCommand.SuppressAddress command = commandOrNull(send, reason, at);
		if (command == null) {
			throw new IllegalArgumentException("a " + send.channel().wireName() + " send has no address to suppress");
		}
		return command;
	}

	/**
	 * Writes the command a rejection of a send makes, if it makes one, and waits until
	 * the broker has it.
	 * @return whether a command was written
	 * @throws io.herald.support.kafka.RecordsNotDurableException when the broker does not
	 * acknowledge it within {@link DispatchProperties#outputTimeout()}
	 */
	public boolean suppress(Send send, RejectionCause cause) {
		Optional<UserCommand.SuppressAddress> command = command(send, cause, this.clock.instant());
		command.ifPresent(this::write);
		return command.isPresent();
	}

	/**
	 * Writes the command for a permanent failure of a send's address learned another way,
	 * and waits until the broker has it.
	 * @throws IllegalArgumentException for a send without an address (push)
	 * @throws io.herald.support.kafka.RecordsNotDurableException when the broker does not
	 * acknowledge it within {@link DispatchProperties#outputTimeout()}
	 */
	public void suppress(Send send, SuppressionReason reason) {
		write(command(send, reason, this.clock.instant()));
	}

	/**
	 * The command for a permanent failure a receipt reported, for the receipt's status
	 * write (counted here). A receipt that names no address (a redacted complaint)
	 * suppresses nothing: routing suppresses an address, never a channel.
	 */
	@Override
	public List<ProducerRecord<String, byte[]>> recordsFor(PermanentAddressFailure failure) {
		SuppressionReason reason = reason(failure.reason());
		if (failure.address() == null || reason == null) {
			return List.of();
		}
		UserCommand.SuppressAddress command = new UserCommand.SuppressAddress(UserCommand.SCHEMA_VERSION,
				failure.tenant(), failure.userId(), failure.at(), failure.channel(), failure.address(), reason, null);
		this.metrics.suppression(command);
		return List.of(record(command));
	}

	/** The suppression a receipt's reason makes, {@code null} for one that makes none. */
	static @Nullable SuppressionReason reason(ReceiptReason reason) {
		return switch (reason) {
			case BOUNCED -> SuppressionReason.BAD_ADDRESS;
			case COMPLAINED -> SuppressionReason.COMPLAINT;
			case UNKNOWN_DESTINATION, LANDLINE, INVALID_NUMBER -> SuppressionReason.INVALID_NUMBER;
			case UNSUBSCRIBED -> SuppressionReason.UNSUBSCRIBED;
			case REFUSED, UNREACHABLE, BLOCKED, CARRIER_FILTERED, UNDELIVERED -> null;
		};
	}

	private void write(UserCommand.SuppressAddress command) {
		DurableWrites.write(this.kafka, List.of(record(command)), this.properties.outputTimeout());
		this.metrics.suppression(command);
	}

	private static ProducerRecord<String, byte[]> record(UserCommand.SuppressAddress command) {
		return new ProducerRecord<>(Topics.USER_COMMANDS.name(), command.key(),
				Topics.USER_COMMANDS.codec().encode(command));
	}

	private static UserCommand.@Nullable SuppressAddress commandOrNull(Send send, SuppressionReason reason,
			Instant at) {
		String address = switch (send.message()) {
			case ChannelMessage.Email email -> email.to();
			case ChannelMessage.Sms sms -> sms.to();
			case ChannelMessage.Push push -> null;
			case ChannelMessage.InApp inApp -> null;
		};
		if (address == null) {
			return null;
		}
		DeliverNotification notification = send.notification();
		return new UserCommand.SuppressAddress(UserCommand.SCHEMA_VERSION, notification.tenant(), notification.userId(),
				at, send.channel(), address, reason, notification.notificationId());
	}

}
