/**
 * The account types the emulator knows (Domo's connector catalogue, a few realistic entries).
 *
 * @internal
 */
import type { AccountModels } from "@effect-domo/client"

const prop = (name: string, prompt: string, required = true, regex?: string): AccountModels.AccountTypeProperty =>
  regex === undefined ? { name, prompt, required } : { name, prompt, required, regex }

const template = (
  title: string,
  properties: ReadonlyArray<AccountModels.AccountTypeProperty>
): AccountModels.AccountTypeTemplate => ({
  title,
  contentType: "application/json",
  method: "POST",
  key: "default",
  properties
})

/** @internal */
export const accountTypes: ReadonlyArray<AccountModels.AccountType> = [
  {
    id: "domo-csv",
    name: "Domo CSV",
    _templates: {
      default: template("Domo CSV", [
        prop("instance", "Domo instance (e.g. acme.domo.com)", true, "^[a-z0-9-]+\\.domo\\.com$"),
        prop("accessToken", "Access token")
      ])
    }
  },
  {
    id: "mysql",
    name: "MySQL",
    _templates: {
      default: template("MySQL", [
        prop("host", "Host"),
        prop("port", "Port", true, "^\\d+$"),
        prop("database", "Database"),
        prop("username", "Username"),
        prop("password", "Password")
      ])
    }
  },
  {
    id: "snowflake",
    name: "Snowflake",
    _templates: {
      default: template("Snowflake", [
        prop("account", "Account identifier"),
        prop("username", "Username"),
        prop("password", "Password"),
        prop("warehouse", "Warehouse", false),
        prop("role", "Role", false)
      ])
    }
  },
  {
    id: "salesforce",
    name: "Salesforce",
    _templates: {
      default: template("Salesforce", [
        prop("username", "Username"),
        prop("password", "Password"),
        prop("securityToken", "Security token")
      ])
    }
  },
  {
    id: "google-sheets",
    name: "Google Sheets",
    _templates: {
      default: template("Google Sheets", [prop("refreshToken", "OAuth refresh token")])
    }
  },
  {
    id: "amazon-s3",
    name: "Amazon S3",
    _templates: {
      default: template("Amazon S3", [
        prop("accessKey", "Access key"),
        prop("secretKey", "Secret key"),
        prop("region", "Region", false, "^[a-z]{2}-[a-z]+-\\d$")
      ])
    }
  }
]
