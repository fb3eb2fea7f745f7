-- The authorization server keeps only hashes of the tokens it stores (auth.oauth.HashedTokenValues): those stored
-- before are hashed in place, as 'sha256:' || hex of SHA-256 of the value, which is what a token presented later is
-- looked up by. (Access tokens, JWTs, are verified by signature and revocation list; their stored value only serves
-- introspection.)
update oauth2_authorization
   set authorization_code_value = 'sha256:' || encode(sha256(convert_to(authorization_code_value, 'UTF8')), 'hex')
 where authorization_code_value is not null and authorization_code_value not like 'sha256:%';
update oauth2_authorization
   set access_token_value = 'sha256:' || encode(sha256(convert_to(access_token_value, 'UTF8')), 'hex')
 where access_token_value is not null and access_token_value not like 'sha256:%';
update oauth2_authorization
   set refresh_token_value = 'sha256:' || encode(sha256(convert_to(refresh_token_value, 'UTF8')), 'hex')
 where refresh_token_value is not null and refresh_token_value not like 'sha256:%';
