package dev.mercato.dashboard;

import dev.mercato.auth.ApiKey;
import dev.mercato.auth.ApiKeyService;
import dev.mercato.auth.oauth.NewOAuthClient;
import dev.mercato.auth.oauth.OAuthClient;
import dev.mercato.auth.oauth.OAuthClientService;
import dev.mercato.security.Caller;
import dev.mercato.security.Scope;
import dev.mercato.shared.DomainException;
import dev.mercato.shared.PageParams;
import dev.mercato.users.User;
import dev.mercato.users.UserService;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The credentials pages: API keys and OAuth clients, listed, created, revoked and (clients) re-keyed, each with its
 * getting-started commands. A developer sees only their own and grants only scopes they hold; the services enforce
 * both. A new key or secret is shown once, on a page that is never stored.
 */
@Hidden
@Controller
@DashboardPage
@RequestMapping("/dashboard/credentials")
class CredentialsController {

    private static final PageParams FIRST_HUNDRED = PageParams.of(PageParams.MAX_LIMIT, 0);

    private final ApiKeyService keys;
    private final OAuthClientService clients;
    private final UserService users;

    CredentialsController(ApiKeyService keys, OAuthClientService clients, UserService users) {
        this.keys = keys;
        this.clients = clients;
        this.users = users;
    }

    @GetMapping
    String list(@AuthenticationPrincipal Caller caller, Model model) {
        var apiKeys = keys.list(caller, FIRST_HUNDRED);
        var oauthClients = clients.list(caller, FIRST_HUNDRED);
        model.addAttribute("apiKeys", apiKeys.items());
        model.addAttribute("apiKeyTotal", apiKeys.total());
        model.addAttribute("oauthClients", oauthClients.items());
        model.addAttribute("oauthClientTotal", oauthClients.total());
        model.addAttribute(
                "owners",
                users.findAll(
                        Caller.SYSTEM,
                        apiKeys.items().stream()
                                .map(ApiKey::userId)
                                .filter(id -> id != null)
                                .distinct()
                                .toList()));
        model.addAttribute("now", Instant.now());
        return "dashboard/credentials";
    }

    /** The create-a-key form's fields, as posted. */
    record ApiKeyForm(String name, List<String> scopes, String username, LocalDate expiresOn, Integer rateLimit) {}

    /** The register-a-client form's fields, as posted; redirect URIs one a line. */
    record OAuthClientForm(
            String name, List<String> scopes, String redirectUris, List<String> grantTypes, Integer rateLimit) {}

    @GetMapping("/api-keys/new")
    String newApiKey(@AuthenticationPrincipal Caller caller, Model model) {
        return apiKeyForm(caller, new ApiKeyForm("", List.of(), "", null, null), null, model);
    }

    @PostMapping("/api-keys")
    String createApiKey(
            @AuthenticationPrincipal Caller caller,
            @ModelAttribute ApiKeyForm form,
            BindingResult binding,
            Model model,
            HttpServletResponse response) {
        try {
            FormFields.checkBinding(binding);
            String userId = Optional.ofNullable(form.username())
                    .filter(name -> caller.has(Scope.ADMIN) && !name.isBlank())
                    .map(name -> users.findByUsername(Caller.SYSTEM, name.trim())
                            .map(User::id)
                            .orElseThrow(() -> FormFields.invalid("username", "There is no user '" + name + "'.")))
                    .orElse(null);
            ApiKeyService.IssuedKey issued = keys.issue(
                    caller,
                    FormFields.name(form.name()),
                    FormFields.scopes(form.scopes()),
                    userId,
                    form.expiresOn() == null
                            ? null
                            : form.expiresOn().atStartOfDay(ZoneOffset.UTC).toInstant(),
                    FormFields.rateLimit(form.rateLimit()));
            model.addAttribute("kind", "API key");
            model.addAttribute("apiKey", issued.key());
            model.addAttribute("secret", issued.plainKey());
            model.addAttribute(
                    "start",
                    GettingStarted.forApiKey(
                            DashboardPages.serverAddress(),
                            issued.plainKey(),
                            issued.key().scopes()));
            return secretPage(response);
        } catch (DomainException problem) {
            response.setStatus(DashboardPages.statusOf(problem).value());
            return apiKeyForm(caller, form, problem.getMessage(), model);
        }
    }

    @GetMapping("/api-keys/{id}")
    String apiKey(@AuthenticationPrincipal Caller caller, @PathVariable String id, Model model) {
        ApiKey key = keys.get(caller, id);
        model.addAttribute("apiKey", key);
        model.addAttribute(
                "owner",
                key.userId() == null
                        ? null
                        : users.find(Caller.SYSTEM, key.userId()).orElse(null));
        model.addAttribute("start", GettingStarted.forApiKey(DashboardPages.serverAddress(), null, key.scopes()));
        return "dashboard/api-key";
    }

    @PostMapping("/api-keys/{id}/revoke")
    String revokeApiKey(@AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
        ApiKey key = keys.get(caller, id);
        keys.revoke(caller, id);
        flash.addFlashAttribute("done", "The API key '" + key.name() + "' is revoked: it no longer works.");
        return "redirect:/dashboard/credentials";
    }

    @GetMapping("/oauth-clients/new")
    String newOAuthClient(@AuthenticationPrincipal Caller caller, Model model) {
        return oauthClientForm(
                caller, new OAuthClientForm("", List.of(), "", List.of("client_credentials"), null), null, model);
    }

    @PostMapping("/oauth-clients")
    String createOAuthClient(
            @AuthenticationPrincipal Caller caller,
            @ModelAttribute OAuthClientForm form,
            BindingResult binding,
            Model model,
            HttpServletResponse response) {
        try {
            FormFields.checkBinding(binding);
            OAuthClientService.IssuedClient issued = clients.register(
                    caller,
                    new NewOAuthClient(
                            FormFields.name(form.name()),
                            FormFields.scopes(form.scopes()),
                            FormFields.redirectUris(form.redirectUris()),
                            FormFields.grantTypes(form.grantTypes()),
                            FormFields.rateLimit(form.rateLimit())));
            return clientSecretPage(issued, model, response);
        } catch (DomainException problem) {
            response.setStatus(DashboardPages.statusOf(problem).value());
            return oauthClientForm(caller, form, problem.getMessage(), model);
        }
    }

    @GetMapping("/oauth-clients/{id}")
    String oauthClient(@AuthenticationPrincipal Caller caller, @PathVariable String id, Model model) {
        OAuthClient client = clients.get(caller, id);
        model.addAttribute("client", client);
        model.addAttribute(
                "start",
                GettingStarted.forClient(DashboardPages.serverAddress(), client.clientId(), null, client.scopes()));
        return "dashboard/oauth-client";
    }

    @PostMapping("/oauth-clients/{id}/rotate-secret")
    String rotateSecret(
            @AuthenticationPrincipal Caller caller,
            @PathVariable String id,
            Model model,
            HttpServletResponse response) {
        return clientSecretPage(clients.rotateSecret(caller, id), model, response);
    }

    @PostMapping("/oauth-clients/{id}/delete")
    String deleteOAuthClient(
            @AuthenticationPrincipal Caller caller, @PathVariable String id, RedirectAttributes flash) {
        OAuthClient client = clients.get(caller, id);
        clients.delete(caller, id);
        flash.addFlashAttribute(
                "done", "The OAuth client '" + client.name() + "' is deleted: its tokens no longer work.");
        return "redirect:/dashboard/credentials";
    }

    private String apiKeyForm(Caller caller, ApiKeyForm form, String problem, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("problem", problem);
        model.addAttribute("grantable", grantable(caller));
        return "dashboard/api-key-form";
    }

    private String oauthClientForm(Caller caller, OAuthClientForm form, String problem, Model model) {
        model.addAttribute("form", form);
        model.addAttribute("problem", problem);
        model.addAttribute("grantable", grantable(caller));
        return "dashboard/oauth-client-form";
    }

    private static String clientSecretPage(
            OAuthClientService.IssuedClient issued, Model model, HttpServletResponse response) {
        model.addAttribute("kind", "OAuth client");
        model.addAttribute("client", issued.client());
        model.addAttribute("secret", issued.plainSecret());
        model.addAttribute(
                "start",
                GettingStarted.forClient(
                        DashboardPages.serverAddress(),
                        issued.client().clientId(),
                        issued.plainSecret(),
                        issued.client().scopes()));
        return secretPage(response);
    }

    /** The page that shows a secret: never kept by the browser's cache or anybody else's. */
    private static String secretPage(HttpServletResponse response) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
        return "dashboard/secret";
    }

    /** The scopes the caller may put on a credential: all for the admin, their own for a developer. */
    static List<Scope> grantable(Caller caller) {
        return Arrays.stream(Scope.values()).filter(caller::has).toList();
    }
}
