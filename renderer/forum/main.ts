import { createApp } from 'vue';
import ForumApp from './ForumApp.vue';
import '../shared/base.css';

createApp(ForumApp).mount('#app');
