package dev.mercato.auth.oauth;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The sign-in form; {@link SignInConfiguration} handles what it posts. */
@Hidden
@RestController
class SignInPageController {

    @GetMapping(path = SignInConfiguration.LOGIN_PAGE, produces = "text/html")
    ResponseEntity<String> signIn(HttpServletRequest request) {
        if (request.getParameter("signed-in") != null) {
            return Pages.page(200, "Signed in", """
                    <h1>You are signed in</h1>
                    <p>Go back to the application that sent you here to continue.</p>""");
        }
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        boolean failed = request.getParameter("error") != null;
        String error = failed ? """
                <p class="error" id="sign-in-error" role="alert">%s</p>""".formatted(Pages.escape(UserPasswordAuthenticationProvider.FAILED)) : "";
        String describedBy = failed ? " aria-describedby=\"sign-in-error\" aria-invalid=\"true\"" : "";
        return Pages.page(200, "Sign in", """
                <h1>Sign in to Mercato</h1>
                %s
                <form method="post" action="%s">
                <label for="username">Username</label>
                <input type="text" id="username" name="username" autocomplete="username" autocapitalize="none"
                 spellcheck="false" required autofocus%s>
                <label for="password">Password</label>
                <input type="password" id="password" name="password" autocomplete="current-password" required%s>
                <input type="hidden" name="%s" value="%s">
                <button type="submit">Sign in</button>
                </form>""".formatted(
                        error,
                        Pages.escape(request.getContextPath() + SignInConfiguration.LOGIN_PAGE),
                        describedBy,
                        describedBy,
                        Pages.escape(csrf.getParameterName()),
                        Pages.escape(csrf.getToken())));
    }
}
