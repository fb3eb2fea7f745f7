package dev.mercato.users;

import dev.mercato.web.ApiException;
import dev.mercato.web.ETags;
import dev.mercato.web.Ids;
import dev.mercato.web.Page;
import dev.mercato.web.PageParams;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Users: lookups for other features, and the changes the v2 API makes. */
@Service
public class UserService {

    private final UserRepository repository;

    UserService(UserRepository repository) {
        this.repository = repository;
    }

    public Optional<User> find(String id) {
        return repository.findById(id);
    }

    public User get(String id) {
        return repository.findById(id).orElseThrow(() -> ApiException.notFound("user", id));
    }

    public Page<User> list(String status, PageParams page) {
        return repository.findAll(status, page);
    }

    public User create(UserDraft draft) {
        return translateConflicts(() -> repository.insert(Ids.generate("usr"), draft));
    }

    /** Replaces the user's writable fields; {@code expectedVersion} (from If-Match) may be null. */
    @Transactional
    public User replace(String id, UserDraft draft, Long expectedVersion) {
        return translateConflicts(() -> repository.update(id, draft, expectedVersion))
                .orElseThrow(() -> missingOrChanged(id));
    }

    @Transactional
    public void delete(String id, Long expectedVersion) {
        if (!repository.delete(id, expectedVersion)) {
            throw missingOrChanged(id);
        }
    }

    private ApiException missingOrChanged(String id) {
        User current = get(id);
        return ApiException.preconditionFailed(ETags.of("v2", current.version()));
    }

    private static <T> T translateConflicts(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (DuplicateKeyException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("users_username_key")) {
                throw ApiException.conflict("USERNAME_TAKEN", "That username is already taken.", "username");
            }
            if (message.contains("users_email_key")) {
                throw ApiException.conflict("EMAIL_TAKEN", "That email address already belongs to a user.", "email");
            }
            throw e;
        }
    }
}
