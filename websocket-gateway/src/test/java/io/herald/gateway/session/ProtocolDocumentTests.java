package io.herald.gateway.session;

import io.herald.events.JsonCodec;
import io.herald.events.Priority;
import io.herald.gateway.AsyncApiDocument;
import io.herald.gateway.inbox.InboxNotification;
import io.herald.gateway.inbox.InboxState;
import io.herald.gateway.inbox.LiveMessage;
import io.herald.gateway.inbox.NotificationFrame;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-time protocol against the AsyncAPI document: every frame the gateway's code
 * can send, built by the code itself, is a message of the document and valid against its
 * schema; every frame type the code accepts is documented and every documented one is
 * accepted; the close codes, {@code reset} reasons and {@code error} codes are the code's
 * own.
 */
class ProtocolDocumentTests {

	private final AsyncApiDocument document = AsyncApiDocument.load();

	@Test
	void everyFrameTheGatewaySendsIsDocumentedAndValid() {
		Map<String, List<String>> sent = sentFrames();
		List<String> problems = new ArrayList<>();
		sent.values()
			.forEach((frames) -> frames.forEach((frame) -> problems
				.addAll(this.document.checkFrame("sendServerFrames", JsonCodec.MAPPER.readTree(frame)))));
		assertThat(problems).isEmpty();
		assertThat(this.document.frames("sendServerFrames").keySet())
			.containsExactlyInAnyOrderElementsOf(sent.keySet());
	}

	@Test
	void everyFrameFactoryOfTheCodeIsCoveredHere() {
		Set<String> factories = new TreeSet<>();
		for (Method method : ServerFrames.class.getDeclaredMethods()) {
			if (Modifier.isStatic(method.getModifiers()) && !Modifier.isPrivate(method.getModifiers())
					&& method.getReturnType() == String.class) {
				factories.add(method.getName());
			}
		}
		for (Field field : ServerFrames.class.getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
				factories.add(field.getName());
			}
		}
		// Notifications, retractions and unread frames come ready-made from the inbox
		// (LiveMessage).
		assertThat(factories).as("frames of ServerFrames that sentFrames() must build")
			.containsExactlyInAnyOrder("hello", "resumed", "reset", "error", "PONG");
		assertThat(LiveMessage.class.getPermittedSubclasses()).extracting(Class::getSimpleName)
			.as("live messages, each a frame sentFrames() builds but Erased (a reset)")
			.containsExactlyInAnyOrder("Notification", "Unread", "Erased");
	}

	@Test
	void theEventStreamCarriesTheServerFramesThatAnswerNoClientFrame() {
		Set<String> stream = this.document.frames("sendEventStream").keySet();
		Set<String> answers = new HashSet<>(this.document.frames("sendServerFrames").keySet());
		answers.removeAll(Set.of("pong", "error"));
		assertThat(stream).containsExactlyInAnyOrderElementsOf(answers);
	}

	@Test
	void everyFrameTypeTheGatewayAcceptsIsDocumentedAndEveryExampleIsAccepted() {
		Set<Class<?>> accepted = new HashSet<>();
		this.document.frames("receiveClientFrames").forEach((type, message) -> {
			for (JsonNode example : message.get("examples")) {
				JsonNode payload = example.get("payload");
				assertThat(this.document.checkFrame("receiveClientFrames", payload)).isEmpty();
				ClientFrame frame = ClientFrame.parse(payload.toString());
				assertThat(frame).as(payload.toString()).isNotInstanceOf(ClientFrame.Invalid.class);
				assertThat(frame.type()).isEqualTo(type);
				accepted.add(frame.getClass());
			}
		});
		Set<Class<?>> frames = new HashSet<>(Arrays.asList(ClientFrame.class.getPermittedSubclasses()));
		frames.remove(ClientFrame.Invalid.class);
		assertThat(accepted).isEqualTo(frames);
	}

	@Test
	void everyExampleOfTheServerFramesIsValid() {
		this.document.frames("sendServerFrames").values().forEach((message) -> {
			for (JsonNode example : message.get("examples")) {
				assertThat(this.document.checkFrame("sendServerFrames", example.get("payload"))).isEmpty();
			}
		});
	}

	@Test
	void theCloseCodesResetReasonsAndErrorCodesAreTheCodesOwn() {
		JsonNode closeCodes = this.document.json().at("/channels/webSocket/x-herald-close-codes");
		Set<String> documented = new HashSet<>();
		Set<Integer> codes = new TreeSet<>();
		for (JsonNode close : closeCodes) {
			documented.add(close.get("code").intValue() + " " + close.path("reason").stringValue(""));
			codes.add(close.get("code").intValue());
		}
		Set<Integer> ours = new TreeSet<>();
		for (CloseReason reason : CloseReason.values()) {
			assertThat(documented).as("close %s", reason).contains(reason.code() + " " + reason.text());
			ours.add(reason.code());
		}
		ours.add(1009);
		assertThat(codes).as("documented close codes: the code's, and the web server's 1009").isEqualTo(ours);

		assertThat(this.document.json()
			.at("/components/schemas/Reset/properties/reason/enum")
			.valueStream()
			.map(JsonNode::stringValue)).containsExactlyInAnyOrderElementsOf(
					Arrays.stream(ResetReason.values()).map(ResetReason::wireName).toList());
		assertThat(this.document.json()
			.at("/components/schemas/Error/properties/code/enum")
			.valueStream()
			.map(JsonNode::stringValue))
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(FrameError.values()).map(FrameError::wireName).toList());
	}

	/** Every frame the gateway sends, by type, as the code builds it. */
	private static Map<String, List<String>> sentFrames() {
		Map<String, List<String>> frames = new LinkedHashMap<>();
		frames.put("hello", List.of(ServerFrames.hello("n1.9f3c", "u-42", new InboxState(123, 100, 119, 4, 119), 25),
				ServerFrames.hello("n1.9f3c", "u-42", new InboxState(0, 1, 0, 0, 0), 25)));
		InboxNotification notification = new InboxNotification("6c0e8e1e", "evt-1", "order.shipped", Priority.HIGH,
				"Shipped", "On its way", Map.of("orderId", "981", "nested", Map.of("n", 1)),
				Instant.parse("2026-11-22T10:00:00Z"));
		frames.put("notification", List
			.of(LiveMessage.Notification.of(124, 0, JsonCodec.MAPPER.writeValueAsString(notification), null).frame()));
		frames.put("retracted", List.of(NotificationFrame.retracted(125, "6c0e8e1e")));
		frames.put("resumed", List.of(ServerFrames.resumed(130), ServerFrames.resumed(0)));
		frames.put("reset",
				Arrays.stream(ResetReason.values()).map((reason) -> ServerFrames.reset(reason, 500)).toList());
		frames.put("unread", List.of(LiveMessage.Unread.of(0, 124).frame()));
		frames.put("pong", List.of(ServerFrames.PONG));
		frames.put("error", Arrays.stream(FrameError.values()).map((code) -> ServerFrames.error(code, "why")).toList());
		return frames;
	}

}
