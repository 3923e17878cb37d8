import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/env';
import { SecretBox } from './secret-box';

/** The one SecretBox sealing secrets at rest with ENCRYPTION_KEY. */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      useFactory: (config: AppConfig) => new SecretBox(config.encryptionKey),
      inject: [APP_CONFIG],
    },
  ],
  exports: [SecretBox],
})
export class CryptoModule {}
