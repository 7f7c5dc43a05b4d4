// Declares an AWS Cognito user's password (AdminSetUserPassword), kept secret in the state.
package cognitouserpassword
