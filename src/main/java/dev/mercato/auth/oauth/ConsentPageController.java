package dev.mercato.auth.oauth;

import dev.mercato.security.Caller;
import dev.mercato.users.UserService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The consent page Spring's authorization endpoint sends a signed-in user to: which application asks for what,
 * in words, with Allow and Deny. Both post back to {@code /oauth/authorize} with the request's {@code state}
 * (which Spring bound to this user's pending authorization); Allow grants every requested scope, Deny none,
 * which Spring answers with {@code error=access_denied} at the client's redirect URI. A consent is remembered
 * (JDBC consent store), so the same request later goes straight through.
 */
@Hidden
@RestController
class ConsentPageController {

    private final RegisteredClientRepository clients;
    private final OAuth2AuthorizationConsentService consents;
    private final UserService users;

    ConsentPageController(
            RegisteredClientRepository clients, OAuth2AuthorizationConsentService consents, UserService users) {
        this.clients = clients;
        this.consents = consents;
        this.users = users;
    }

    @GetMapping(path = AuthorizationServerConfiguration.CONSENT_PAGE, produces = "text/html")
    ResponseEntity<String> consent(
            Principal principal,
            HttpServletRequest request,
            @RequestParam(name = OAuth2ParameterNames.CLIENT_ID, required = false) String clientId,
            @RequestParam(name = OAuth2ParameterNames.SCOPE, defaultValue = "") String scope,
            @RequestParam(name = OAuth2ParameterNames.STATE, required = false) String state) {
        // This page is reached from /oauth/authorize only; without its parameters it is a page, not an API error.
        RegisteredClient client = clientId == null || state == null ? null : clients.findByClientId(clientId);
        if (client == null) {
            return Pages.page(400, "Unknown application", """
                    <h1>Unknown application</h1>
                    <p>The application that sent you here is not registered. Nothing was shared.</p>""");
        }
        OAuth2AuthorizationConsent previous = consents.findById(client.getId(), principal.getName());
        Set<String> granted = previous == null ? Set.of() : previous.getScopes();
        Set<String> requested = Arrays.stream(scope.split(" "))
                .filter(value -> !value.isBlank())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String username = users.find(Caller.SYSTEM, principal.getName())
                .map(user -> user.username())
                .orElse(principal.getName());
        String action =
                Pages.escape(request.getContextPath() + AuthorizationServerConfiguration.AUTHORIZATION_ENDPOINT);
        String hidden = hidden(OAuth2ParameterNames.CLIENT_ID, clientId) + hidden(OAuth2ParameterNames.STATE, state);
        return Pages.page(200, "Allow access", """
                <h1><strong>%s</strong> wants to access your Mercato account</h1>
                <p>Signed in as <strong>%s</strong>.</p>
                <p id="scopes-heading">If you allow it, it will be able to:</p>
                <ul aria-labelledby="scopes-heading">
                %s
                </ul>
                <div class="actions">
                <form method="post" action="%s">
                %s%s
                <button type="submit" id="allow">Allow</button>
                </form>
                <form method="post" action="%s">
                %s
                <button type="submit" id="deny" class="secondary">Deny</button>
                </form>
                </div>""".formatted(
                Pages.escape(client.getClientName()),
                Pages.escape(username),
                requested.stream()
                        .map(value -> "<li>"
                                + Pages.escape(EndUserScopes.describe(value).orElse(value))
                                + (granted.contains(value) ? " (allowed before)" : "") + "</li>")
                        .collect(Collectors.joining("\n")),
                action,
                hidden,
                requested.stream()
                        .map(value -> hidden(OAuth2ParameterNames.SCOPE, value))
                        .collect(Collectors.joining()),
                action,
                hidden));
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"%s\" value=\"%s\">".formatted(Pages.escape(name), Pages.escape(value));
    }
}
