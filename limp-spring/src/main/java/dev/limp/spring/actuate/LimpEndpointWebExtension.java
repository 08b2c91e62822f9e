package dev.limp.spring.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;

/**
 * The {@code limp} endpoint's write operation over HTTP: the same operation as {@link LimpEndpoint}'s, but
 * a refused request is answered with HTTP 400 and an RFC 9457 problem-detail body carrying limp's own
 * message (which says what is allowed), instead of a bare 400, and is logged with the caller's principal.
 * Reads are the endpoint's. Thread-safe.
 */
@EndpointWebExtension(endpoint = LimpEndpoint.class)
public class LimpEndpointWebExtension {
  /** The problem type of a refused override. */
  public static final String TYPE = "urn:dev.limp:problem:override-refused";

  private static final MimeType PROBLEM_JSON = MimeType.valueOf("application/problem+json");
  private static final Logger log = LoggerFactory.getLogger(LimpEndpointWebExtension.class);

  private final LimpEndpoint endpoint;

  public LimpEndpointWebExtension(LimpEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** See {@link LimpEndpoint#override}; a refusal is a 400 with a problem-detail body. */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> override(String action, @Nullable String feature,
      @Nullable String level, @Nullable Long durationSeconds, @Nullable String reason, SecurityContext security) {
    try {
      return new WebEndpointResponse<>(endpoint.override(action, feature, level, durationSeconds, reason, security));
    } catch (InvalidEndpointRequestException e) {
      String actor = LimpEndpoint.actor(security);
      log.warn("limp: refused an Actuator override by {} (action '{}'): {}", actor, action, e.getReason());
      Map<String, Object> problem = new LinkedHashMap<>();
      problem.put("type", TYPE);
      problem.put("title", "Override refused");
      problem.put("status", WebEndpointResponse.STATUS_BAD_REQUEST);
      problem.put("detail", e.getReason());
      problem.put("action", action);
      problem.put("actor", actor);
      return new WebEndpointResponse<>(problem, WebEndpointResponse.STATUS_BAD_REQUEST, PROBLEM_JSON);
    }
  }
}
