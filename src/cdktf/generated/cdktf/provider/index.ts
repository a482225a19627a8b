// GENERATED FILE: do not edit. Made by scripts/generate-cdktf-bindings.ts from schemas/terraform-provider-schema.json (npm run generate:cdktf).
// @ts-nocheck
// https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface M3TerProviderConfig {
  /**
  * Access key id of an m3ter service user. Falls back to env M3TER_API_KEY; configuring fails if neither is set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs#api_key M3TerProvider#api_key}
  */
  readonly apiKey?: string;
  /**
  * API secret of that service user. Falls back to env M3TER_API_SECRET; configuring fails if neither is set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs#api_secret M3TerProvider#api_secret}
  */
  readonly apiSecret?: string;
  /**
  * Override for the API base URL (default https://api.m3ter.com). Falls back to env M3TER_BASE_URL.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs#base_url M3TerProvider#base_url}
  */
  readonly baseUrl?: string;
  /**
  * UUID of the m3ter organization that every call targets. Falls back to env M3TER_ORG_ID; configuring fails if neither is set.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs#org_id M3TerProvider#org_id}
  */
  readonly orgId?: string;
  /**
  * Ready-made bearer token to use instead of fetching one. Falls back to env M3TER_API_TOKEN. api_key and api_secret are still required.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs#token M3TerProvider#token}
  */
  readonly token?: string;
  /**
  * Alias name
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs#alias M3TerProvider#alias}
  */
  readonly alias?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs m3ter}
*/
export class M3TerProvider extends cdktf.TerraformProvider {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "m3ter";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a M3TerProvider resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the M3TerProvider to import
  * @param importFromId The id of the existing M3TerProvider that should be imported. Refer to the {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the M3TerProvider to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "m3ter", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/m3ter-com/m3ter/latest/docs m3ter} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options M3TerProviderConfig = {}
  */
  public constructor(scope: Construct, id: string, config: M3TerProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'm3ter',
      terraformGeneratorMetadata: {
        providerName: 'm3ter',
        providerVersionConstraint: '~> 0.9.0'
      },
      terraformProviderSource: 'm3ter-com/m3ter'
    });
    this._apiKey = config.apiKey;
    this._apiSecret = config.apiSecret;
    this._baseUrl = config.baseUrl;
    this._orgId = config.orgId;
    this._token = config.token;
    this._alias = config.alias;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // api_key - computed: false, optional: true, required: false
  private _apiKey?: string; 
  public get apiKey() {
    return this._apiKey;
  }
  public set apiKey(value: string | undefined) {
    this._apiKey = value;
  }
  public resetApiKey() {
    this._apiKey = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiKeyInput() {
    return this._apiKey;
  }

  // api_secret - computed: false, optional: true, required: false
  private _apiSecret?: string; 
  public get apiSecret() {
    return this._apiSecret;
  }
  public set apiSecret(value: string | undefined) {
    this._apiSecret = value;
  }
  public resetApiSecret() {
    this._apiSecret = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get apiSecretInput() {
    return this._apiSecret;
  }

  // base_url - computed: false, optional: true, required: false
  private _baseUrl?: string; 
  public get baseUrl() {
    return this._baseUrl;
  }
  public set baseUrl(value: string | undefined) {
    this._baseUrl = value;
  }
  public resetBaseUrl() {
    this._baseUrl = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get baseUrlInput() {
    return this._baseUrl;
  }

  // org_id - computed: false, optional: true, required: false
  private _orgId?: string; 
  public get orgId() {
    return this._orgId;
  }
  public set orgId(value: string | undefined) {
    this._orgId = value;
  }
  public resetOrgId() {
    this._orgId = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get orgIdInput() {
    return this._orgId;
  }

  // token - computed: false, optional: true, required: false
  private _token?: string; 
  public get token() {
    return this._token;
  }
  public set token(value: string | undefined) {
    this._token = value;
  }
  public resetToken() {
    this._token = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get tokenInput() {
    return this._token;
  }

  // alias - computed: false, optional: true, required: false
  private _alias?: string; 
  public get alias() {
    return this._alias;
  }
  public set alias(value: string | undefined) {
    this._alias = value;
  }
  public resetAlias() {
    this._alias = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get aliasInput() {
    return this._alias;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      api_key: cdktf.stringToTerraform(this._apiKey),
      api_secret: cdktf.stringToTerraform(this._apiSecret),
      base_url: cdktf.stringToTerraform(this._baseUrl),
      org_id: cdktf.stringToTerraform(this._orgId),
      token: cdktf.stringToTerraform(this._token),
      alias: cdktf.stringToTerraform(this._alias),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      api_key: {
        value: cdktf.stringToHclTerraform(this._apiKey),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      api_secret: {
        value: cdktf.stringToHclTerraform(this._apiSecret),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      base_url: {
        value: cdktf.stringToHclTerraform(this._baseUrl),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      org_id: {
        value: cdktf.stringToHclTerraform(this._orgId),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      token: {
        value: cdktf.stringToHclTerraform(this._token),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      alias: {
        value: cdktf.stringToHclTerraform(this._alias),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
