package dev.mercato.auth.oauth;

import dev.mercato.security.SignInGuard;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.SessionAttribute;

/** The end users' sign-in form (on the dashboard's layout); {@link SignInConfiguration} handles what it posts. */
@Hidden
@Controller
class SignInPageController {

    @GetMapping(path = SignInConfiguration.LOGIN_PAGE, produces = "text/html")
    String signIn(
            @RequestParam(required = false) String error,
            @RequestParam(name = "signed-in", required = false) String signedIn,
            @SessionAttribute(name = WebAttributes.AUTHENTICATION_EXCEPTION, required = false)
                    AuthenticationException failure,
            Model model,
            HttpServletResponse response) {
        OAuthPages.noStore(response);
        if (signedIn != null) {
            return OAuthPages.message(
                    model, "You are signed in", "Go back to the application that sent you here to continue.");
        }
        if (error != null) {
            model.addAttribute("problem", failure == null ? SignInGuard.FAILED : failure.getMessage());
        }
        return "oauth/sign-in";
    }
}
