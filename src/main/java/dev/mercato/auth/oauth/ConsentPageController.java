package dev.mercato.auth.oauth;

import dev.mercato.security.Caller;
import dev.mercato.users.UserService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.util.Arrays;
import java.util.Set;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The consent page Spring's authorization endpoint sends a signed-in user to: which application asks for what,
 * in words, with Allow and Deny. Both post back to {@code /oauth/authorize} with the request's {@code state}
 * (which Spring bound to this user's pending authorization); Allow grants every requested scope, Deny none,
 * which Spring answers with {@code error=access_denied} at the client's redirect URI. A consent is remembered
 * (JDBC consent store), so the same request later goes straight through.
 */
@Hidden
@Controller
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

    /** A scope the application asks for, in the user's words, and whether the user allowed it before. */
    record RequestedScope(String value, String description, boolean allowedBefore) {}

    @GetMapping(path = AuthorizationServerConfiguration.CONSENT_PAGE, produces = "text/html")
    String consent(
            Principal principal,
            @RequestParam(name = OAuth2ParameterNames.CLIENT_ID, required = false) String clientId,
            @RequestParam(name = OAuth2ParameterNames.SCOPE, defaultValue = "") String scope,
            @RequestParam(name = OAuth2ParameterNames.STATE, required = false) String state,
            Model model,
            HttpServletResponse response) {
        OAuthPages.noStore(response);
        // This page is reached from /oauth/authorize only; without its parameters it is a page, not an API error.
        RegisteredClient client = clientId == null || state == null ? null : clients.findByClientId(clientId);
        if (client == null) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return OAuthPages.message(
                    model,
                    "Unknown application",
                    "The application that sent you here is not registered. Nothing was shared.");
        }
        OAuth2AuthorizationConsent previous = consents.findById(client.getId(), principal.getName());
        Set<String> granted = previous == null ? Set.of() : previous.getScopes();
        model.addAttribute("appName", client.getClientName());
        model.addAttribute(
                "endUser",
                users.find(Caller.SYSTEM, principal.getName())
                        .map(user -> user.username())
                        .orElse(principal.getName()));
        model.addAttribute("clientId", clientId);
        model.addAttribute("state", state);
        model.addAttribute(
                "requested",
                Arrays.stream(scope.split(" "))
                        .filter(value -> !value.isBlank())
                        .distinct()
                        .map(value -> new RequestedScope(
                                value, EndUserScopes.describe(value).orElse(value), granted.contains(value)))
                        .toList());
        return "oauth/consent";
    }
}
